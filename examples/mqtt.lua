-- MQTT protocol extension: the ClientID of the CONNECT becomes user_token and user_session, then the connection is piped (MQTT 3.1, 3.1.1 and 5.0).
--[[
    MQTT event handler for TCP client data
    ctxt - TCP client side App processing context.
    data - TCP Data stream received.

    Like the vendor's documented mqtt.lua, with four corrections:
    - it waits for the whole CONNECT (the remaining length), not just up to the ClientID;
    - it reads the protocol name and level, and rejects what is not MQIsdp/3, MQTT/4 or MQTT/5;
    - for MQTT 5.0 it skips the properties (a variable byte integer length, then the properties),
      which come after keep alive and before the ClientID;
    - it checks the rest of the CONNECT as a broker would (connect flags, MQTT 5.0 properties, UTF-8
      strings, empty ClientID rules, no bytes left over), so that a malformed CONNECT is reset here,
      as HAProxy's mqtt_is_valid does, instead of being balanced on a token and forwarded.
    A parse error raises error(), which resets the connection.
--]]

-- MQTT 5.0 properties allowed in the CONNECT properties and in the will properties, with the size of
-- each value: a number of bytes, "string" / "binary" (2-byte length + bytes) or "pair" (two strings).
local CONNECT_PROPERTIES = {
    [0x11] = 4, [0x21] = 2, [0x27] = 4, [0x22] = 2, [0x19] = 1, [0x17] = 1,
    [0x26] = "pair", [0x15] = "string", [0x16] = "binary",
}
local WILL_PROPERTIES = {
    [0x18] = 4, [0x01] = 1, [0x02] = 4, [0x03] = "string", [0x08] = "string", [0x09] = "binary",
    [0x26] = "pair",
}

-- MQTT strings are UTF-8 without U+0000, surrogates or overlong forms; raises otherwise.
local function check_utf8(text, what)
    -- plain ASCII without NUL (nearly every ClientID) needs no byte-by-byte walk; an anchored
    -- pattern is one pass (an unanchored search for a character class costs several times more)
    if (text:find("^[\1-\127]*$")) then
        return
    end
    local i = 1
    local len = text:len()
    while (i <= len) do
        local c = text:byte(i)
        local extra, code, min = 0, c, 0
        if (c == 0) then
            error("MQTT CONNECT packet parse error - " .. what .. " contains U+0000.")
        elseif (c >= 0xC2 and c <= 0xDF) then
            extra, code, min = 1, c - 0xC0, 0x80
        elseif (c >= 0xE0 and c <= 0xEF) then
            extra, code, min = 2, c - 0xE0, 0x800
        elseif (c >= 0xF0 and c <= 0xF4) then
            extra, code, min = 3, c - 0xF0, 0x10000
        elseif (c >= 0x80) then
            error("MQTT CONNECT packet parse error - " .. what .. " is not UTF-8.")
        end
        if (i + extra > len) then
            error("MQTT CONNECT packet parse error - " .. what .. " is not UTF-8.")
        end
        for k = 1, extra do
            local b = text:byte(i + k)
            if (b < 0x80 or b > 0xBF) then
                error("MQTT CONNECT packet parse error - " .. what .. " is not UTF-8.")
            end
            code = code * 64 + (b - 0x80)
        end
        if (code < min or code > 0x10FFFF or (code >= 0xD800 and code <= 0xDFFF)) then
            error("MQTT CONNECT packet parse error - " .. what .. " is not UTF-8.")
        end
        i = i + extra + 1
    end
end

-- A 2-byte length and that many bytes at offset, inside the packet; returns the offset after it.
local function skip_prefixed(data, offset, packet_end, what)
    if (offset + 1 > packet_end) then
        error("MQTT CONNECT packet parse error - missing " .. what .. ".")
    end
    local length = data:byte(offset) * 256 + data:byte(offset + 1)
    if (offset + 1 + length > packet_end) then
        error("MQTT CONNECT packet parse error - " .. what .. " runs past the packet.")
    end
    return offset + 2 + length
end

-- Like skip_prefixed, for a UTF-8 string.
local function skip_string(data, offset, packet_end, what)
    local after = skip_prefixed(data, offset, packet_end, what)
    check_utf8(data:sub(offset + 2, after - 1), what)
    return after
end

-- An MQTT 5.0 property block at offset (variable byte integer length, then the properties), checked
-- against the allowed identifiers; returns the offset after it and its length.
local function skip_properties(data, offset, packet_end, allowed, what)
    local length, multiplier, byte = 0, 1, 0
    repeat
        if (multiplier > 128 * 128 * 128) then
            error("MQTT CONNECT packet parse error - invalid " .. what .. " length.")
        end
        if (offset > packet_end) then
            error("MQTT CONNECT packet parse error - truncated " .. what .. " length.")
        end
        byte = data:byte(offset)
        offset = offset + 1
        length = length + (bit32.band(byte, 0x7F) * multiplier)
        multiplier = multiplier * 128
    until (bit32.band(byte, 0x80) == 0)
    local block_end = offset + length - 1
    if (block_end > packet_end) then
        error("MQTT CONNECT packet parse error - " .. what .. " run past the packet.")
    end
    local seen = {}
    while (offset <= block_end) do
        local id = data:byte(offset)
        local size = allowed[id]
        if (size == nil) then
            error(string.format("MQTT CONNECT packet parse error - property 0x%02X is not allowed in the %s.", id, what))
        end
        if (seen[id] and id ~= 0x26) then
            error(string.format("MQTT CONNECT packet parse error - property 0x%02X appears twice in the %s.", id, what))
        end
        seen[id] = true
        offset = offset + 1
        if (size == "pair") then
            offset = skip_string(data, offset, block_end, "user property name")
            offset = skip_string(data, offset, block_end, "user property value")
        elseif (size == "string") then
            offset = skip_string(data, offset, block_end, what .. " string")
        elseif (size == "binary") then
            offset = skip_prefixed(data, offset, block_end, what .. " binary data")
        else
            if (offset + size - 1 > block_end) then
                error("MQTT CONNECT packet parse error - " .. what .. " run past their length.")
            end
            local value = 0
            for k = 0, size - 1 do
                value = value * 256 + data:byte(offset + k)
            end
            -- Receive Maximum and Maximum Packet Size 0, and flags other than 0/1, are protocol errors
            if (value == 0 and (id == 0x21 or id == 0x27)) or (value > 1 and (id == 0x17 or id == 0x19 or id == 0x01)) then
                error(string.format("MQTT CONNECT packet parse error - property 0x%02X has the invalid value %d.", id, value))
            end
            offset = offset + size
        end
    end
    if (seen[0x16] and not seen[0x15]) then
        error("MQTT CONNECT packet parse error - authentication data without an authentication method.")
    end
    return offset, length
end

function client.on_data(ctxt, payload)
    local data = payload.data
    local data_len = data:len()
    local offset = 1
    local byte = nil
    local utf8_str_len = 0
    local msg_type = 0
    local multiplier = 1
    local max_multiplier = 128 * 128 * 128
    local rem_length = 0
    local clientID = nil
    local packet_end = 0
    local protocol_name = nil
    local protocol_level = 0
    local prop_length = 0
    local connect_flags = 0
    local will_qos = 0

    -- the fixed header is at least 2 bytes
    if (data_len < 2) then
        goto need_more_data
    end

    byte = data:byte(offset)
    offset = offset + 1

    -- CONNECT is type 1 with flags 0
    msg_type = bit32.rshift(byte, 4)
    if (msg_type ~= 1) then
        error("Missing MQTT Connect packet.")
    end
    if (bit32.band(byte, 0x0F) ~= 0) then
        error("MQTT CONNECT packet parse error - reserved fixed header flags are not 0.")
    end

    -- remaining length: variable byte integer, at most 4 bytes
    repeat
        if (multiplier > max_multiplier) then
            error("MQTT CONNECT packet parse error - invalid Remaining Length.")
        end
        if (data_len < offset) then
            goto need_more_data
        end
        byte = data:byte(offset)
        offset = offset + 1
        rem_length = rem_length + (bit32.band(byte, 0x7F) * multiplier)
        multiplier = multiplier * 128
    until (bit32.band(byte, 0x80) == 0)

    -- wait for the whole CONNECT; bytes after it belong to the next packet
    packet_end = offset + rem_length - 1
    if (data_len < packet_end) then
        goto need_more_data
    end

    -- protocol name (2-byte length + bytes), then level, connect flags and keep alive (4 bytes)
    if (offset + 1 > packet_end) then
        error("MQTT CONNECT packet parse error - missing protocol name.")
    end
    utf8_str_len = data:byte(offset) * 256 + data:byte(offset + 1)
    offset = offset + 2
    if (offset + utf8_str_len + 3 > packet_end) then
        error("MQTT CONNECT packet parse error - truncated variable header.")
    end
    protocol_name = data:sub(offset, offset + utf8_str_len - 1)
    offset = offset + utf8_str_len
    protocol_level = data:byte(offset)
    if not ((protocol_name == "MQTT" and (protocol_level == 4 or protocol_level == 5))
            or (protocol_name == "MQIsdp" and protocol_level == 3)) then
        error("MQTT CONNECT packet parse error - unsupported protocol " .. protocol_name .. " level " .. protocol_level .. ".")
    end

    -- connect flags: reserved bit 0 (3.1.1, 5.0); will QoS 0-2, and will QoS/retain only with the will flag;
    -- in 3.1.1 no password without a user name
    connect_flags = data:byte(offset + 1)
    will_qos = bit32.band(bit32.rshift(connect_flags, 3), 3)
    if (protocol_level ~= 3 and bit32.band(connect_flags, 0x01) ~= 0) then
        error("MQTT CONNECT packet parse error - the reserved connect flag is set.")
    end
    if (bit32.band(connect_flags, 0x04) ~= 0) then
        if (will_qos == 3) then
            error("MQTT CONNECT packet parse error - will QoS 3.")
        end
    elseif (will_qos ~= 0 or bit32.band(connect_flags, 0x20) ~= 0) then
        error("MQTT CONNECT packet parse error - will QoS or retain without the will flag.")
    end
    if (protocol_level == 4 and bit32.band(connect_flags, 0xC0) == 0x40) then
        error("MQTT CONNECT packet parse error - password without user name.")
    end
    offset = offset + 4

    -- MQTT 5.0: property length (variable byte integer) and properties, before the ClientID
    if (protocol_level == 5) then
        offset, prop_length = skip_properties(data, offset, packet_end, CONNECT_PROPERTIES, "CONNECT properties")
    end

    -- client ID (2-byte length + UTF-8; may be empty)
    if (offset + 1 > packet_end) then
        error("MQTT CONNECT packet parse error - missing ClientID.")
    end
    utf8_str_len = data:byte(offset) * 256 + data:byte(offset + 1)
    offset = offset + 2
    if (offset + utf8_str_len - 1 > packet_end) then
        error("MQTT CONNECT packet parse error - ClientID runs past the packet.")
    end
    clientID = data:sub(offset, offset + utf8_str_len - 1)
    check_utf8(clientID, "ClientID")
    -- empty ClientID: never in 3.1; in 3.1.1 only with clean session
    if (utf8_str_len == 0 and (protocol_level == 3 or (protocol_level == 4 and bit32.band(connect_flags, 0x02) == 0))) then
        error("MQTT CONNECT packet parse error - empty ClientID not allowed here.")
    end
    offset = offset + utf8_str_len

    -- the rest of the payload, in the order the connect flags announce it, must end the packet exactly
    if (bit32.band(connect_flags, 0x04) ~= 0) then
        if (protocol_level == 5) then
            offset = skip_properties(data, offset, packet_end, WILL_PROPERTIES, "will properties")
        end
        offset = skip_string(data, offset, packet_end, "will topic")
        offset = skip_prefixed(data, offset, packet_end, "will payload")
    end
    if (bit32.band(connect_flags, 0x80) ~= 0) then
        offset = skip_string(data, offset, packet_end, "user name")
    end
    if (bit32.band(connect_flags, 0x40) ~= 0) then
        offset = skip_prefixed(data, offset, packet_end, "password")
    end
    if (offset ~= packet_end + 1) then
        error("MQTT CONNECT packet parse error - bytes left after the last field.")
    end

    -- LB on the ClientID (lbMethod USER_TOKEN), persist on it (persistenceType USERSESSION)
    ns.send(ctxt.output, "DATA", {data = data,
                                  user_token = clientID,
                                  user_session = clientID})

    -- the rest of the connection bypasses this handler
    ns.pipe(ctxt.input, ctxt.output)
    goto parse_done

    ::need_more_data::
    ctxt:hold(data)

    ::parse_done::
    return
end
