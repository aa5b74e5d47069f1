// The header carrying the client's address from our server to the app. server.ts strips any incoming copy
// and sets it from the TCP socket, so a client cannot forge it. (No Next.js imports: server.ts loads this
// before Next has set up its request storage.)
export const CLIENT_IP_HEADER = "x-keyward-client-ip";
