-- Deliberately broken: Lua 5.3+ operators the ADC's Lua 5.2 does not have.
-- expect: protoext.lua53-operator
function client.on_data(ctxt, payload)
    local data = payload.data
    local first = data:byte(1)
    local msg_type = first >> 4
    local flags = first & 0x0F
    local half = data:len() // 2
    if msg_type ~= 1 or flags ~= 0 or half < 1 then
        error("not a CONNECT")
    end
    ns.send(ctxt.output, "DATA", {data = data})
    ns.pipe(ctxt.input, ctxt.output)
end
