// Our additions to next-auth's types: the session cookie carries the server-side session row's id.
import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface User {
    sessionId: string;
  }
  interface Session {
    sid: string;
    userId: string;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    sid?: string;
  }
}
