-- Deliberately broken: the held data is sent after ctxt:hold, and the hold is not followed by a return.
-- expect: protoext.use-after-hold
function client.on_data(ctxt, payload)
    local data = payload.data
    if data:len() < 2 then
        ctxt:hold(data)
    end
    ns.send(ctxt.output, "DATA", {data = data})
    ns.pipe(ctxt.input, ctxt.output)
end
