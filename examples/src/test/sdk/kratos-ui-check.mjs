// Renders the ory4j example's Kratos flows with Ory's own UI library for Kratos, @ory/elements-markup (the one
// kratos-selfservice-ui-node renders its pages with), unchanged, and checks that the forms come out as they do for
// Kratos: the flow's action and method, its inputs, the CSRF token of a browser flow, and Kratos' message texts.
// Usage: node kratos-ui-check.mjs PUBLIC. Exits non-zero, with the step that failed, on any difference.
import { UserAuthCard } from "@ory/elements-markup";
import { Configuration, FrontendApi } from "@ory/kratos-client";

const publicUrl = process.argv[2].replace(/\/$/, "");
const frontend = new FrontendApi(new Configuration({ basePath: publicUrl }));
let step = "start";
function check(cond, what) {
  if (!cond) throw new Error(what);
}
function render(flow, flowType) {
  return String(UserAuthCard({ title: flowType, flow, flowType,
    additionalProps: { forgotPasswordURL: "/recovery", signupURL: "/registration", logoutURL: "", loginURL: "/login" } }));
}
function form(html, flow) {
  const escaped = flow.ui.action.replace(/&/g, "&amp;");
  check(html.includes(`action="${escaped}"`) || html.includes(`action="${flow.ui.action}"`),
    `the form posts to the flow's action ${flow.ui.action}`);
  check(html.includes(`method="${flow.ui.method}"`), "the form has the flow's method");
}

try {
  step = "login (api): render the form";
  const login = (await frontend.createNativeLoginFlow()).data;
  let html = render(login, "login");
  form(html, login);
  check(html.includes('name="identifier"') && html.includes('name="password"'), "identifier and password inputs");
  check(html.includes('value="password"'), "the password method's submit");

  step = "login (api): wrong credentials show Kratos' message";
  const refused = await frontend.updateLoginFlow({ flow: login.id,
    updateLoginFlowBody: { method: "password", identifier: "nobody@example.com", password: "not the password" } })
    .then(() => null, (e) => e.response);
  check(refused && refused.status === 400, "a refused login answers 400 with the flow");
  check(refused.data.ui.messages.some((m) => m.id === 4000006), "message 4000006");
  html = render(refused.data, "login");
  check(html.includes(refused.data.ui.messages.find((m) => m.id === 4000006).text), "the message text is shown");

  step = "registration (api): render the form";
  const registration = (await frontend.createNativeRegistrationFlow()).data;
  html = render(registration, "registration");
  form(html, registration);
  check(html.includes('name="traits.email"') && html.includes('name="password"'), "trait and password inputs");

  step = "login (browser): render the form with its CSRF token";
  const browser = await fetch(`${publicUrl}/self-service/login/browser`, { headers: { Accept: "application/json" } });
  check(browser.status === 200, `a browser flow asked for JSON answers 200, got ${browser.status}`);
  const browserFlow = await browser.json();
  const csrf = browserFlow.ui.nodes.find((n) => n.attributes.name === "csrf_token");
  check(csrf && csrf.attributes.value, "the browser flow carries a csrf_token node");
  html = render(browserFlow, "login");
  form(html, browserFlow);
  check(html.includes(`name="csrf_token" type="hidden"`) && html.includes(`value="${csrf.attributes.value}"`),
    "the CSRF token is a hidden input of the form");

  console.log("all steps passed");
} catch (e) {
  console.error(`step "${step}" failed: ${e.message}`);
  if (e.response) console.error(JSON.stringify(e.response.data));
  process.exit(1);
}
