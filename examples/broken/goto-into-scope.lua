-- Deliberately broken: a goto that jumps forward into the scope of a local (Lua 5.2 rejects the chunk).
-- expect: protoext.goto
function client.on_data(ctxt, payload)
    local data = payload.data
    if data:len() < 2 then
        goto need_more_data
    end
    local client_id = data:sub(3)
    ::need_more_data::
    ctxt:hold(data)
    error(client_id)
end
