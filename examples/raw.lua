-- Any TCP protocol (--protocol raw): the first data makes the load-balancing decision, then the connection is piped.
--[[
    This is what the ADC does for a protocol with no client.on_data at all, written out so you can change it:
    - to balance on something in your protocol, read it from payload.data and pass it as user_token
      (and user_session for persistence) in the first ns.send;
    - to balance message by message, cut payload.data into messages and send each with "EOM"
      (examples/syslog.lua does that for syslog); hold what is left with ctxt:hold(rest).
--]]

function client.on_data(ctxt, payload)
    ns.send(ctxt.output, "DATA", {data = payload.data})
    ns.pipe(ctxt.input, ctxt.output)
end
