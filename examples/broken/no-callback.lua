-- Deliberately broken: defines a helper but neither client.on_data nor server.on_data, so the extension never runs.
-- expect: protoext.no-callback
local function read_u16(data, offset)
    return data:byte(offset) * 256 + data:byte(offset + 1)
end

function client.ondata(ctxt, payload)
    return read_u16(payload.data, 1), ctxt
end
