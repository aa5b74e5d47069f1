"use client";
// The Audit log page failed to render: the app's error view, inside the team's layout.
export { default } from "@/app/error";
