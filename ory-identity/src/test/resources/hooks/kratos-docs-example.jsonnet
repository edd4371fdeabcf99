// The body template of Kratos' web hook documentation, with a conditional field and a cancel.
function(ctx) if std.startsWith(ctx.identity.traits.email, "test-") then error "cancel" else {
  userId: ctx.identity.id,
  traits: {
    email: ctx.identity.traits.email,
    name: ctx.identity.traits.email + " (" + ctx.request_method + ")",
  },
  [if "newsletter" in ctx.identity.traits then "newsletter"]: ctx.identity.traits.newsletter,
  agent: ctx.request_headers["User-Agent"][0],
  /* the number of addresses */
  addresses: std.length(ctx.identity.verifiable_addresses),
  flags: [true, false, null, 1.5, -2],
}
