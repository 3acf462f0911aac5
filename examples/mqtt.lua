-- MQTT protocol extension: the ClientID of the CONNECT becomes user_token and user_session, then the connection is piped (MQTT 3.1, 3.1.1 and 5.0).
--[[
    MQTT event handler for TCP client data
    ctxt - TCP client side App processing context.
    data - TCP Data stream received.

    Like the vendor's documented mqtt.lua, with three corrections:
    - it waits for the whole CONNECT (the remaining length), not just up to the ClientID;
    - it reads the protocol name and level, and rejects what is not MQIsdp/3, MQTT/4 or MQTT/5;
    - for MQTT 5.0 it skips the properties (a variable byte integer length, then the properties),
      which come after keep alive and before the ClientID.
    A parse error raises error(), which resets the connection.
--]]
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
    offset = offset + 4

    -- MQTT 5.0: property length (variable byte integer) and properties, before the ClientID
    if (protocol_level == 5) then
        multiplier = 1
        repeat
            if (multiplier > max_multiplier) then
                error("MQTT CONNECT packet parse error - invalid Property Length.")
            end
            if (offset > packet_end) then
                error("MQTT CONNECT packet parse error - truncated Property Length.")
            end
            byte = data:byte(offset)
            offset = offset + 1
            prop_length = prop_length + (bit32.band(byte, 0x7F) * multiplier)
            multiplier = multiplier * 128
        until (bit32.band(byte, 0x80) == 0)
        offset = offset + prop_length
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
