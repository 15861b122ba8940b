// The servers the library scenarios talk to (besides the project's /protocol on the fault
// listener), started in the Node.js test process: graphql-ws's own `useServer` over `ws`, and
// @y/websocket-server. Used by libraries.test.mjs (pages) and runtimes.test.mjs (Node.js, Deno, Bun).
import http from "node:http";

import { GraphQLInt, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import { docs as yDocs, setupWSConnection } from "@y/websocket-server/utils";

/** Query `hello` answers "world"; subscription `count(to)` yields 1..to, 10 ms apart. */
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: "Query",
    fields: { hello: { type: GraphQLString, resolve: () => "world" } },
  }),
  subscription: new GraphQLObjectType({
    name: "Subscription",
    fields: {
      count: {
        type: GraphQLInt,
        args: { to: { type: new GraphQLNonNull(GraphQLInt) } },
        subscribe: async function* (_root, { to }) {
          for (let i = 1; i <= to; i++) {
            await new Promise((resolve) => setTimeout(resolve, 10));
            yield { count: i };
          }
        },
      },
    },
  }),
});

/** A `ws` server on a free loopback port; `ws://` URL. */
async function startWsServer(servers, onConnection) {
  const server = http.createServer((_request, response) => response.writeHead(404).end());
  const wss = new WebSocketServer({ server });
  wss.on("connection", onConnection);
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  servers.push({ server, wss });
  return { wss, url: `ws://127.0.0.1:${server.address().port}` };
}

/**
 * Starts both servers. `graphqlProtocols` lists the subprotocol of every graphql-ws connection
 * accepted; `yjsText(room)` is the server's copy of a room's text "t"; `stop()` ends everything.
 */
export async function startLibraryServers() {
  const servers = [];
  const graphqlProtocols = [];
  const graphql = await startWsServer(servers, (socket) => graphqlProtocols.push(socket.protocol));
  useServer({ schema }, graphql.wss);
  const yjs = await startWsServer(servers, (conn, request) => setupWSConnection(conn, request));
  return {
    graphqlUrl: graphql.url,
    yjsUrl: yjs.url,
    graphqlProtocols,
    yjsText: (room) => yDocs.get(room)?.getText("t").toString(),
    async stop() {
      for (const { server, wss } of servers) {
        for (const client of wss.clients) client.terminate();
        await new Promise((resolve) => wss.close(resolve));
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
      // The y-websocket server keeps its documents (and their awareness timers) without persistence.
      for (const doc of yDocs.values()) doc.destroy();
      yDocs.clear();
    },
  };
}

/** Entries that put each library on `globalThis`, for esbuild (a page's iife, a runtime's esm). */
export const LIBRARY_ENTRIES = {
  graphqlWs: `import { createClient } from "graphql-ws"; globalThis.graphqlWs = { createClient };`,
  partysocket: `import ReconnectingWebSocket from "partysocket/ws"; globalThis.partysocket = { ReconnectingWebSocket };`,
  yWebsocket: `import * as Y from "yjs"; import { WebsocketProvider } from "y-websocket"; globalThis.yWebsocket = { Y, WebsocketProvider };`,
};
