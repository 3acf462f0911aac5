-- Deliberately broken: a missing `then` (a plain Lua 5.2 syntax error).
-- expect: protoext.syntax
function client.on_data(ctxt, payload)
    local data = payload.data
    if data:len() < 2
        ctxt:hold(data)
        return
    end
    ns.send(ctxt.output, "DATA", {data = data})
end
