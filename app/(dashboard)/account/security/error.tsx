"use client";
// The Security page failed to render: the app's error view, below the dashboard's header.
export { default } from "@/app/error";
