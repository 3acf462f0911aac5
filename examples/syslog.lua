-- Syslog over TCP with one load-balancing decision per message (message-based load balancing), in the style of the vendor's syslog tutorial.
--[[
    Syslog event handler for TCP client data
    ctxt - TCP client side App processing context.
    data - TCP Data stream received.

    The script cuts the byte stream into messages and sends each one with an EOM: after an EOM the next
    message gets a new load-balancing decision, so with -lbMethod ROUNDROBIN the messages of a single
    connection are spread over the services.

    RFC 6587 frames syslog over TCP in one of two ways; this script handles both:
    - non-transparent framing: each message ends with LF (what `logger --tcp` sends). This is the
      vendor tutorial's loop, unchanged: find the LF, split after it, send, repeat; hold what is left.
    - octet counting: "MSG-LEN SP MSG" with no trailer (`logger --tcp --octet-count`); the MSG may
      contain LF. A frame that starts with a digit is octet-counted (a syslog message starts with "<").
    Each message is sent whole, framing included, so the syslog server reads exactly what the client wrote.
    A broken octet count raises error(), which resets the connection.

    ADC configuration (protoext-lb export --netscaler --protocol syslog):
      add user protocol SYSLOG_TCP -transport TCP -extension syslog_code
      add lb vserver syslog_lb USER_TCP -lbMethod ROUNDROBIN -persistenceType NONE
      add user vserver syslog_vs SYSLOG_TCP <ip> 1514 -defaultLB syslog_lb
--]]

-- RFC 6587 3.4.1: MSG-LEN = NONZERO-DIGIT *DIGIT; more than 9 digits is a broken frame, not a big message.
local MAX_COUNT_DIGITS = 9

-- The length of the octet-counted frame at the start of data ("MSG-LEN SP" included), or nil until the SP arrives.
local function octet_counted_length(data)
    if data:byte(1) == 0x30 then
        error("octet counting: MSG-LEN starts with 0 (RFC 6587 3.4.1)")
    end
    local space = data:find(" ", 1, true)
    if space == nil then
        if data:len() > MAX_COUNT_DIGITS or data:find("%D") then
            error("octet counting: MSG-LEN is not followed by SP (RFC 6587 3.4.1)")
        end
        return nil
    end
    local count = data:sub(1, space - 1)
    if not count:find("^[1-9]%d*$") or #count > MAX_COUNT_DIGITS then
        error("octet counting: bad MSG-LEN \"" .. count .. "\" (RFC 6587 3.4.1)")
    end
    return space + tonumber(count)
end

function client.on_data(ctxt, payload)
    local data = payload.data
    local data_len
    local message = nil
    local pos
    local first

    ::split_message::
    data_len = data:len()
    first = data:byte(1)
    if first >= 0x30 and first <= 0x39 then
        pos = octet_counted_length(data)
    else
        pos = data:find("\n", 1, true)
    end
    if pos == nil or pos > data_len then
        goto need_more_data
    end

    -- the message is everything up to pos; the rest is the next message(s)
    if data_len > pos then
        message, data = data:split(pos)
    else
        message = data
        data = nil
    end
    ns.send(ctxt.output, "EOM", {data = message})
    if data ~= nil then
        goto split_message
    end
    goto done

    ::need_more_data::
    ctxt:hold(data)

    ::done::
end
