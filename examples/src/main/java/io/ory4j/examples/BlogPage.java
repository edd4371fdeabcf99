package io.ory4j.examples;

import io.ory4j.core.http.HttpResponse;
import io.ory4j.core.http.OryErrorRenderer;
import io.ory4j.core.http.Router;
import io.ory4j.core.json.OryJson;

/**
 * The blog's page ({@code /blog}): lists the posts, writes one, deletes one, all through the JSON API at
 * {@code /api/posts} with the browser's session cookie, so every action passes the access rules like any other
 * client's. The script is served from {@code /blog.js}, as the pages' content security policy allows only the
 * example's own scripts.
 */
final class BlogPage {
  private static final String BODY = "<p><a href=\"/\">Home</a></p>"
      + "<form id=\"new\"><label>Title <input id=\"title\" name=\"title\" required maxlength=\"200\"></label>"
      + "<label>Text <textarea id=\"body\" name=\"body\"></textarea></label>"
      + "<button type=\"submit\" id=\"publish\">Publish</button></form>"
      + "<p id=\"status\" role=\"status\"></p><ul id=\"posts\"></ul><script src=\"/blog.js\"></script>";

  private static final String SCRIPT = """
      'use strict';
      const statusLine = (text) => { document.getElementById('status').textContent = text; };
      async function load() {
        const answer = await fetch('/api/posts', { credentials: 'same-origin' });
        const posts = answer.ok ? await answer.json() : [];
        const list = document.getElementById('posts');
        list.replaceChildren();
        for (const post of posts) {
          const item = document.createElement('li');
          item.dataset.id = post.id;
          const title = document.createElement('span');
          title.className = 'title';
          title.textContent = post.title;
          const remove = document.createElement('button');
          remove.className = 'delete';
          remove.textContent = 'Delete';
          remove.addEventListener('click', async () => {
            const done = await fetch('/api/posts/' + encodeURIComponent(post.id),
              { method: 'DELETE', credentials: 'same-origin' });
            statusLine(done.status === 204 ? 'Deleted.' : 'Refused (' + done.status + ').');
            await load();
          });
          item.append(title, ' ', remove);
          list.append(item);
        }
      }
      document.getElementById('new').addEventListener('submit', async (event) => {
        event.preventDefault();
        const answer = await fetch('/api/posts', { method: 'POST', credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ title: document.getElementById('title').value,
            body: document.getElementById('body').value }) });
        statusLine(answer.status === 201 ? 'Published.' : 'Refused (' + answer.status + ').');
        await load();
      });
      load();
      """;

  private final OryJson json;

  BlogPage(OryJson json) {
    this.json = json;
  }

  Router router() {
    return Router.builder(new OryErrorRenderer(json))
        .get("/blog", r -> Pages.page("Blog", BODY))
        .get("/blog.js", r -> Pages.secure(HttpResponse.builder(200)
            .header("Content-Type", "text/javascript; charset=utf-8").body(SCRIPT).build()))
        .build();
  }
}
