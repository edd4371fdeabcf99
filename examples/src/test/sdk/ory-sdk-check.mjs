// Drives the ory4j example server with Ory's own published SDKs, unchanged: Keto's relationship and permission
// APIs, Kratos' identity and frontend APIs, Hydra's OAuth2 and OIDC APIs. Usage: node ory-sdk-check.mjs PUBLIC ADMIN
// Exits non-zero, with the step that failed, when any call does not answer as Ory's servers answer.
import { Configuration as KetoConfig, RelationshipApi, PermissionApi } from "@ory/keto-client";
import { Configuration as KratosConfig, IdentityApi, FrontendApi } from "@ory/kratos-client";
import { Configuration as HydraConfig, OAuth2Api, OidcApi } from "@ory/hydra-client";

const [publicUrl, adminUrl] = process.argv.slice(2).map((u) => u.replace(/\/$/, ""));
let step = "start";
function check(cond, what) {
  if (!cond) throw new Error(what);
}

try {
  // Keto
  step = "keto: create relationship";
  const relWrite = new RelationshipApi(new KetoConfig({ basePath: adminUrl }));
  const relRead = new RelationshipApi(new KetoConfig({ basePath: publicUrl }));
  const perms = new PermissionApi(new KetoConfig({ basePath: publicUrl }));
  const created = await relWrite.createRelationship({
    createRelationshipBody: { namespace: "blog", object: "post-1", relation: "owner", subject_id: "alice" },
  });
  check(created.status === 201 && created.data.subject_id === "alice", "createRelationship answer");
  step = "keto: check permission";
  const allowed = await perms.checkPermission({ namespace: "blog", object: "post-1", relation: "delete", subjectId: "alice" });
  check(allowed.data.allowed === true, "alice may delete post-1");
  const denied = await perms.checkPermission({ namespace: "blog", object: "post-1", relation: "delete", subjectId: "bob" });
  check(denied.data.allowed === false, "bob may not delete post-1");
  step = "keto: patch relationships";
  await relWrite.patchRelationships({
    relationshipPatch: [
      { action: "insert", relation_tuple: { namespace: "blog", object: "post-2", relation: "moderators", subject_set: { namespace: "Group", object: "mods", relation: "members" } } },
      { action: "insert", relation_tuple: { namespace: "Group", object: "mods", relation: "members", subject_id: "carol" } },
    ],
  });
  const viaGroup = await perms.checkPermission({ namespace: "blog", object: "post-2", relation: "delete", subjectId: "carol" });
  check(viaGroup.data.allowed === true, "carol may delete post-2 through the mods group");
  step = "keto: list relationships";
  const list = await relRead.getRelationships({ namespace: "blog", pageSize: 1 });
  check(list.data.relation_tuples.length === 1 && list.data.next_page_token !== "", "first page with a next token");
  step = "keto: expand";
  const tree = await perms.expandPermissions({ namespace: "Group", object: "mods", relation: "members", maxDepth: 3 });
  check(tree.data.type === "union" && tree.data.children[0].tuple.subject_id === "carol", "expand tree");
  step = "keto: namespaces";
  const ns = await relRead.listRelationshipNamespaces();
  check(ns.data.namespaces.some((n) => n.name === "blog"), "namespaces list blog");

  // Kratos
  step = "kratos: create identity";
  const identities = new IdentityApi(new KratosConfig({ basePath: adminUrl }));
  const frontend = new FrontendApi(new KratosConfig({ basePath: publicUrl }));
  const identity = await identities.createIdentity({
    createIdentityBody: { schema_id: "default", traits: { email: "sdk@example.com" },
      credentials: { password: { config: { password: "correct horse staple" } } } },
  });
  check(identity.status === 201 && identity.data.traits.email === "sdk@example.com", "createIdentity answer");
  step = "kratos: native registration";
  const flow = await frontend.createNativeRegistrationFlow();
  check(flow.data.type === "api" && flow.data.ui.nodes.length > 0, "registration flow");
  const registered = await frontend.updateRegistrationFlow({
    flow: flow.data.id,
    updateRegistrationFlowBody: { method: "password", password: "another long passphrase", traits: { email: "native@example.com" } },
  });
  check(registered.data.session_token && registered.data.identity.traits.email === "native@example.com", "registration result");
  step = "kratos: whoami";
  const session = await frontend.toSession({ xSessionToken: registered.data.session_token });
  check(session.data.identity.id === registered.data.identity.id && session.data.active, "toSession");
  step = "kratos: list identities";
  const all = await identities.listIdentities();
  check(all.data.length === 2, "two identities");

  // Hydra
  step = "hydra: discovery";
  const oidc = new OidcApi(new HydraConfig({ basePath: publicUrl }));
  const discovery = await oidc.discoverOidcConfiguration();
  check(discovery.data.issuer && discovery.data.token_endpoint, "discovery document");
  step = "hydra: create client";
  const oauth2 = new OAuth2Api(new HydraConfig({ basePath: adminUrl }));
  const client = await oauth2.createOAuth2Client({
    oAuth2Client: { client_name: "sdk", grant_types: ["client_credentials"], scope: "posts.write", token_endpoint_auth_method: "client_secret_post" },
  });
  check(client.status === 201 && client.data.client_id && client.data.client_secret, "createOAuth2Client answer");
  step = "hydra: token and introspection";
  const form = new URLSearchParams({ grant_type: "client_credentials", client_id: client.data.client_id,
    client_secret: client.data.client_secret, scope: "posts.write" });
  const tokenRes = await fetch(discovery.data.token_endpoint, { method: "POST", body: form,
    headers: { "Content-Type": "application/x-www-form-urlencoded" } });
  const token = await tokenRes.json();
  check(tokenRes.status === 200 && token.access_token, "client_credentials token");
  const intro = await oauth2.introspectOAuth2Token({ token: token.access_token });
  check(intro.data.active === true && intro.data.client_id === client.data.client_id, "introspection");
  step = "hydra: get client";
  const got = await oauth2.getOAuth2Client({ id: client.data.client_id });
  check(got.data.client_name === "sdk", "getOAuth2Client");

  console.log("ory SDK compatibility: all steps passed");
} catch (e) {
  const detail = e.response ? ` (HTTP ${e.response.status}: ${JSON.stringify(e.response.data)})` : "";
  console.error(`ory SDK compatibility failed at "${step}": ${e.message}${detail}`);
  process.exit(1);
}
