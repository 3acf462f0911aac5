-- A minimal protocol extension the e2e suite opens to trigger activation (onLanguage:lua).
function client.on_data(ctxt, payload)
  ns.send(ctxt.output, "DATA", {data = payload.data})
end
