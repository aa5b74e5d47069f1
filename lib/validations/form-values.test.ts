import { describe, expect, it } from "vitest";
import { echoableValues, formToObject } from "@/lib/validations/form-values";

describe("form values echoed after a failed action", () => {
  it("keeps what the user typed and drops React's internal fields", () => {
    const form = new FormData();
    form.append("name", "Notebook");
    form.append("endpoint.chat", "write");
    form.append("$ACTION_ID_abc", "");
    expect(echoableValues(formToObject(form))).toEqual({ name: "Notebook", "endpoint.chat": "write" });
  });

  it("never echoes a secret", () => {
    const secrets = [
      "password",
      "currentPassword",
      "confirmPassword",
      "newPassword",
      "key",
      "token",
      "clientSecret",
      "apiKey",
    ];
    const values = Object.fromEntries([...secrets.map((name) => [name, "s3cret"]), ["email", "a@example.test"]]);
    expect(echoableValues(values)).toEqual({ email: "a@example.test" });
  });

  it("keeps fields that merely contain the letters of a secret's name", () => {
    expect(echoableValues({ keyId: "k1", keyName: "n" })).toEqual({ keyId: "k1", keyName: "n" });
  });
});
