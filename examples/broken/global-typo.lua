-- Deliberately broken: `ofset` assigns a global (a typo of the local `offset`), a local is never used, `clientid` is undefined.
-- expect: protoext.global-assignment, protoext.unused-local, protoext.undefined-global
function client.on_data(ctxt, payload)
    local data = payload.data
    local offset = 1
    local unused_counter = 0
    ofset = offset + 2
    local client_id = data:sub(offset, offset + 3)
    ns.send(ctxt.output, "DATA", {data = data, user_token = clientid, user_session = client_id})
    ns.pipe(ctxt.input, ctxt.output)
end
