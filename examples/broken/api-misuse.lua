-- Deliberately broken: unknown ns/ctxt/stream members, `.` for a method, a wrong event name and a misspelt send option.
-- expect: protoext.unknown-member, protoext.method-call, protoext.bad-event, protoext.unknown-option, protoext.arity, protoext.argument-type
function client.on_data(ctxt, payload)
    local data = payload.data
    local size = data:length()
    if size < 2 then
        ctxt.hold(data)
        return
    end
    ns.send(ctxt.outptu, "Data", {data = data, user_tokn = "x"})
    ns.pipe(ctxt.input)
    ns.send("output", "EOM")
end
