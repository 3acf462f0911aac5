-- Deliberately broken: libraries the sandbox removes and Lua 5.3/5.4 habits that do not exist on Lua 5.2.
-- expect: protoext.forbidden-global, protoext.forbidden, protoext.lua54-trap
function client.on_data(ctxt, payload)
    local data = payload.data
    local started = os.time()
    local helper = require("helper")
    local id_len = string.unpack(">I2", data:sub(1, 2))
    local kind = math.type(id_len)
    local dumped = string.dump(helper)
    local chars = utf8.len(data:sub(3))
    print(started, kind, dumped, chars)
    ns.send(ctxt.output, "DATA", {data = data})
end
