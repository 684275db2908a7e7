// A real OpenID Connect provider for the single sign-on tests: panva's oidc-provider (a
// certified implementation) on 127.0.0.1, configured from a JSON file the pytest fixture writes
// (tests/support/oidc.py):
//
//   {"port": 5xxxx, "clients": [{client_id, client_secret, redirect_uris,
//    post_logout_redirect_uris}], "accounts": {"<id>": {name, email, preferred_username,
//    groups}}, "ttl": {"IdToken": 3600}}
//
// The accounts are read again from the file whenever one is looked up, so a test changes a
// person's groups by rewriting it. The sign-in page is a tiny form of our own (field `login`:
// the account id) rather than the library's development pages, which load web fonts from the
// internet; consent is taken as given. PKCE is required; RP-initiated logout is on.
// Usage: node oidc_provider.mjs CONFIG.json

import { readFileSync } from "node:fs";
import http from "node:http";

import Provider from "oidc-provider";

const configPath = process.argv[2];
const read = () => JSON.parse(readFileSync(configPath, "utf8"));
const config = read();
const issuer = `http://127.0.0.1:${config.port}`;

const page = (title, body) =>
  `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>` +
  `<body><h1>${title}</h1>${body}</body></html>`;

const escape = (text) =>
  String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const provider = new Provider(issuer, {
  clients: config.clients.map((c) => ({
    grant_types: ["authorization_code"],
    response_types: ["code"],
    token_endpoint_auth_method: "client_secret_basic",
    ...c,
  })),
  pkce: { required: () => true },
  cookies: { keys: ["test-only-cookie-key-not-a-secret"] },
  claims: {
    openid: ["sub", "groups", "_claim_names"],  // _claim_names: Entra ID's groups overage
    profile: ["name", "preferred_username"],
    email: ["email"],
  },
  // Entra ID puts the groups and the profile in the ID token; so does this provider.
  conformIdTokenClaims: false,
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: async (ctx, form) => {
        ctx.body = page("Sign out", `${form}<button form="op.logoutForm" name="logout" value="yes">Sign out</button>`);
      },
      postLogoutSuccessSource: async (ctx) => {
        ctx.body = page("Signed out", "<p>You have signed out.</p>");
      },
    },
  },
  ttl: { IdToken: 3600, AccessToken: 3600, Interaction: 600, Session: 3600, Grant: 3600, ...(config.ttl || {}) },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  findAccount: async (_ctx, id) => {
    const account = read().accounts[id];
    if (!account) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...account }) };
  },
  loadExistingGrant: async (ctx) => {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope("openid profile email");
    await grant.save();
    return grant;
  },
  renderError: async (ctx, out) => {
    ctx.type = "html";
    ctx.body = page("Error", `<p>${escape(out.error)}: ${escape(out.error_description || "")}</p>`);
  },
});

const form = (uid, problem) =>
  page(
    "Sign in to the test provider",
    `${problem ? `<p class="problem">${escape(problem)}</p>` : ""}` +
      `<form method="post" action="/interaction/${uid}/login">` +
      `<label for="login">Account</label><input id="login" name="login" type="text">` +
      `<button type="submit">Sign in</button></form>`,
  );

async function interaction(req, res) {
  const parts = new URL(req.url, issuer).pathname.split("/");
  const uid = parts[2];
  try {
    await provider.interactionDetails(req, res);
    if (req.method === "GET") {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      res.end(form(uid));
      return;
    }
    let body = "";
    for await (const chunk of req) body += chunk;
    const login = new URLSearchParams(body).get("login") || "";
    if (!read().accounts[login]) {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      res.end(form(uid, "No such account"));
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: login } }, {
      mergeWithLastSubmission: false,
    });
  } catch (err) {
    res.writeHead(400, { "Content-Type": "text/plain" });
    res.end(`interaction failed: ${err.message}`);
  }
}

const handle = provider.callback();
const server = http.createServer((req, res) => {
  if (req.url.startsWith("/interaction/")) {
    interaction(req, res);
  } else {
    handle(req, res);
  }
});
server.listen(config.port, "127.0.0.1", () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
