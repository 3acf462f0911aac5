-- Deliberately broken: `client.ondata` is a typo, so neither client.on_data nor server.on_data is defined and the extension never runs.
-- expect: protoext.no-callback, protoext.unknown-member
local function read_u16(data, offset)
    return data:byte(offset) * 256 + data:byte(offset + 1)
end

function client.ondata(ctxt, payload)
    return read_u16(payload.data, 1), ctxt
end
