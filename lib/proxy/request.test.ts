import { describe, expect, it } from "vitest";
import { canonicalPath, inspectRequest, meterAnswer, reservationUsd, type Inspected } from "./request";
import type { ProxyError } from "./errors";
import { costUsd, imagePriceUsd } from "./pricing";

const any = () => true;
const mini = (model: string) => model.startsWith("gpt-4o-mini");
const json = (value: unknown) => Buffer.from(JSON.stringify(value));

async function inspect(
  path: string,
  body: Buffer,
  contentType: string | undefined = "application/json",
  allows: (model: string) => boolean = any,
  method = "POST",
): Promise<Inspected | ProxyError> {
  return inspectRequest(method, path, contentType, body, allows);
}

function refusal(result: Inspected | ProxyError): { status: number; code: string | null; param: string | null } {
  if (!("status" in result)) throw new Error(`expected a refusal, got ${JSON.stringify(result.plan)}`);
  const parsed = JSON.parse(result.body) as { error: { code: string | null; param: string | null } };
  return { status: result.status, code: parsed.error.code, param: parsed.error.param };
}

function admitted(result: Inspected | ProxyError): Inspected {
  if ("status" in result) throw new Error(`expected admission, got ${result.status} ${result.body}`);
  return result;
}

describe("canonicalPath", () => {
  it("keeps a plain path as it is, dots inside names included", () => {
    expect(canonicalPath("/v1/chat/completions")).toBe("/v1/chat/completions");
    expect(canonicalPath("/v1/models/gpt-4.1-mini")).toBe("/v1/models/gpt-4.1-mini");
    expect(canonicalPath("/v1/models/ft:gpt-4o-mini:acme::abc123")).toBe("/v1/models/ft:gpt-4o-mini:acme::abc123");
  });

  it.each([
    "/v1/chat/completions/../../embeddings",
    "/v1/models/../files",
    "/v1/./embeddings",
    "/v1/chat/completions/..",
    "/v1/%2e%2e/files",
    "/v1/models/%2E%2E/files",
    "/v1/models/.%2e/files",
    "/v1/models%2f..%2ffiles",
    "/v1/models/a%2Fb",
    "/v1/models/a%5cb",
    "/v1/models\\..\\files",
    "/v1//embeddings",
    "/v1/embeddings/",
    "/v1/models/%ZZ",
    "/v1/models/a%00b",
    "v1/models",
  ])("refuses %s", (raw) => {
    const result = canonicalPath(raw);
    expect(typeof result).toBe("object");
    expect(result).toMatchObject({ status: 400, code: "invalid_path" });
  });

  it("encodes every spelling of one segment the same way", () => {
    expect(canonicalPath("/v1/models/gpt%2D4o")).toBe("/v1/models/gpt-4o");
    expect(canonicalPath("/v1/files/file%20x")).toBe("/v1/files/file%20x");
    expect(canonicalPath("/v1/models/ft%3Agpt-4o")).toBe("/v1/models/ft:gpt-4o");
  });
});

describe("inspectRequest: the body is read as the upstream reads it", () => {
  const body = json({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] });

  it.each([
    "application/json",
    "Application/JSON",
    "application/JSON; charset=utf-8",
    "text/plain",
    "application/vnd.api+json",
    undefined,
  ])("checks the model of a JSON body sent as %s", async (type) => {
    expect(refusal(await inspect("/v1/chat/completions", body, type, mini))).toMatchObject({
      status: 404,
      code: "model_not_found",
    });
    expect(admitted(await inspect("/v1/chat/completions", body, type)).contentType).toBe("application/json");
  });

  it("refuses form fields on a JSON route, and a body that is not a JSON object", async () => {
    const form = Buffer.from("model=gpt-4o&messages=hi");
    expect(refusal(await inspect("/v1/chat/completions", form, "application/x-www-form-urlencoded"))).toMatchObject({
      status: 400,
      code: "invalid_content_type",
    });
    expect(refusal(await inspect("/v1/chat/completions", Buffer.from("model: gpt-4o"), "text/plain"))).toMatchObject({
      status: 400,
      code: "invalid_json",
    });
    expect(refusal(await inspect("/v1/chat/completions", json(["gpt-4o"])))).toMatchObject({ code: "invalid_json" });
  });

  it("requires a model where the route takes one, and names the default where OpenAI has one", async () => {
    expect(refusal(await inspect("/v1/chat/completions", json({ messages: [] })))).toMatchObject({
      status: 400,
      param: "model",
    });
    const moderation = admitted(await inspect("/v1/moderations", json({ input: "hi" })));
    expect(moderation.model).toBe("omni-moderation-latest");
    expect(JSON.parse(moderation.body.toString()).model).toBe("omni-moderation-latest");
    expect(
      refusal(await inspect("/v1/images/generations", json({ prompt: "a cat" }), "application/json", mini)),
    ).toMatchObject({ code: "model_not_found" });
    expect(refusal(await inspect("/v1/chat/completions", json({ model: 4, messages: [] })))).toMatchObject({
      param: "model",
    });
  });

  it("forwards a body naming a decisive key twice re-encoded, so the upstream reads the model that was checked", async () => {
    const twice = Buffer.from('{"model":"gpt-4o-mini","messages":[],"model":"gpt-4o"}');
    expect(refusal(await inspect("/v1/chat/completions", twice, "application/json", mini))).toMatchObject({
      code: "model_not_found",
    });
    const escaped = Buffer.from('{"model":"gpt-4o-mini","messages":[],"mod\\u0065l":"gpt-4o-mini-2024"}');
    const result = admitted(await inspect("/v1/chat/completions", escaped, "application/json", mini));
    expect(result.body.toString()).toBe('{"model":"gpt-4o-mini-2024","messages":[]}');
  });

  it("refuses a body on GET and checks a model named in the path", async () => {
    expect(refusal(await inspect("/v1/models", json({ model: "x" }), "application/json", any, "GET"))).toMatchObject({
      code: "invalid_request_body",
    });
    expect(refusal(await inspect("/v1/models/gpt-4o", Buffer.alloc(0), undefined, mini, "GET"))).toMatchObject({
      code: "model_not_found",
    });
  });

  it("checks the model of a multipart body, refuses a field given twice, and forwards what it parsed", async () => {
    const form = new FormData();
    form.set("model", "gpt-4o-transcribe");
    form.set("file", new Blob([new Uint8Array(32_000)], { type: "audio/mpeg" }), "a.mp3");
    const encoded = new Response(form);
    const type = encoded.headers.get("content-type") ?? "";
    const raw = Buffer.from(await encoded.arrayBuffer());
    expect(refusal(await inspect("/v1/audio/transcriptions", raw, type, mini))).toMatchObject({
      code: "model_not_found",
    });
    const ok = admitted(await inspect("/v1/audio/transcriptions", raw, type));
    expect(ok.plan).toEqual({ kind: "transcription", model: "gpt-4o-transcribe", audioBytes: 32_000 });
    const back = await new Response(new Uint8Array(ok.body), {
      headers: { "content-type": ok.contentType ?? "" },
    }).formData();
    expect(back.getAll("model")).toEqual(["gpt-4o-transcribe"]);

    form.append("model", "whisper-1");
    const twice = new Response(form);
    const result = await inspect(
      "/v1/audio/transcriptions",
      Buffer.from(await twice.arrayBuffer()),
      twice.headers.get("content-type") ?? "",
    );
    expect(refusal(result)).toMatchObject({ status: 400, param: "model" });
    // Multipart on a JSON route is not read as fields Keyward did not check.
    expect(refusal(await inspect("/v1/chat/completions", raw, type))).toMatchObject({ code: "invalid_content_type" });
  });
});

describe("inspectRequest: what decides the cost is validated and priced at its worst", () => {
  const chat = (extra: Record<string, unknown>) =>
    inspect("/v1/chat/completions", json({ model: "gpt-4o-mini", messages: [], ...extra }));

  it.each([
    [{ max_tokens: -1e9 }, "max_tokens"],
    [{ max_tokens: 0 }, "max_tokens"],
    [{ max_tokens: 10.5 }, "max_tokens"],
    [{ max_tokens: "10" }, "max_tokens"],
    [{ max_tokens: 16_385 }, "max_tokens"],
    [{ max_completion_tokens: -1 }, "max_completion_tokens"],
    [{ n: 0 }, "n"],
    [{ n: 129 }, "n"],
    [{ n: 1.5 }, "n"],
    [{ stream: "yes" }, "stream"],
  ])("refuses %j", async (extra, param) => {
    expect(refusal(await chat(extra))).toMatchObject({ status: 400, param });
  });

  it("reserves the model's largest answer when no limit is given, times n", async () => {
    const plain = admitted(await chat({}));
    expect(plain.plan).toMatchObject({ kind: "tokens", maxOutputTokens: 16_384 });
    const three = admitted(await chat({ n: 3, max_tokens: 100 }));
    expect(three.plan).toMatchObject({ maxOutputTokens: 300 });
    expect(reservationUsd(three.plan)).toBeCloseTo(
      costUsd("gpt-4o-mini", (three.plan as { promptTokens: number }).promptTokens, 300),
    );
    const responses = admitted(await inspect("/v1/responses", json({ model: "o3", input: "hi" })));
    expect(responses.plan).toMatchObject({ maxOutputTokens: 100_000 });
  });

  it("prices images per image, speech per character, and refuses what the upstream would", async () => {
    const images = admitted(
      await inspect(
        "/v1/images/generations",
        json({ model: "dall-e-3", prompt: "x", size: "1792x1024", quality: "hd" }),
      ),
    );
    expect(reservationUsd(images.plan)).toBeCloseTo(0.12);
    const two = admitted(await inspect("/v1/images/generations", json({ prompt: "x", n: 2 })));
    expect(reservationUsd(two.plan)).toBeCloseTo(2 * imagePriceUsd("dall-e-2", null, null));
    expect(refusal(await inspect("/v1/images/generations", json({ prompt: "x", n: 11 })))).toMatchObject({
      param: "n",
    });
    const speech = admitted(
      await inspect("/v1/audio/speech", json({ model: "tts-1-hd", input: "a".repeat(1000), voice: "alloy" })),
    );
    expect(reservationUsd(speech.plan)).toBeCloseTo(0.03);
    expect(
      refusal(await inspect("/v1/audio/speech", json({ model: "tts-1", input: "a".repeat(4097), voice: "alloy" }))),
    ).toMatchObject({ param: "input" });
  });

  it("asks for the usage chunk only when the client did not, and says so", async () => {
    const asked = admitted(await chat({ stream: true, stream_options: { include_usage: true } }));
    expect(asked.addedUsageChunk).toBe(false);
    const notAsked = admitted(await chat({ stream: true }));
    expect(notAsked.addedUsageChunk).toBe(true);
    expect(JSON.parse(notAsked.body.toString()).stream_options).toEqual({ include_usage: true });
    const unchanged = admitted(await chat({ stream: false }));
    expect(unchanged.addedUsageChunk).toBe(false);
  });
});

describe("meterAnswer", () => {
  it("uses the answer's usage, else estimates from request and answer, and says it estimated", () => {
    const tokens = { kind: "tokens", model: "gpt-4o-mini", promptTokens: 10, maxOutputTokens: 100 } as const;
    expect(meterAnswer(tokens, { promptTokens: 7, completionTokens: 3 }, null)).toMatchObject({ estimated: false });
    const images = { kind: "images", model: "dall-e-2", images: 3, unitUsd: 0.02 } as const;
    const answer = json({ created: 1, data: [{ url: "a" }, { url: "b" }] });
    expect(meterAnswer(images, null, answer)).toEqual({
      promptTokens: 0,
      completionTokens: 0,
      costUsd: 0.04,
      estimated: true,
    });
    const speech = { kind: "speech", model: "tts-1", chars: 2000 } as const;
    expect(meterAnswer(speech, null, null).costUsd).toBeCloseTo(0.03);
    const audio = { kind: "transcription", model: "whisper-1", audioBytes: 160_000 } as const;
    expect(meterAnswer(audio, null, json({ text: "hi", duration: 120 }))).toMatchObject({
      costUsd: 0.012,
      estimated: false,
    });
    expect(meterAnswer(audio, null, json({ text: "hi" }))).toMatchObject({ estimated: true });
    expect(meterAnswer(audio, null, json({ text: "hi" })).costUsd).toBeGreaterThan(0);
  });

  it("never reserves less than it meters from the request alone", () => {
    const audio = { kind: "transcription", model: "whisper-1", audioBytes: 1_000_000 } as const;
    expect(reservationUsd(audio)).toBeGreaterThanOrEqual(meterAnswer(audio, null, json({ text: "" })).costUsd);
    const speech = { kind: "speech", model: "gpt-4o-mini-tts", chars: 4096 } as const;
    expect(reservationUsd(speech)).toBe(meterAnswer(speech, null, null).costUsd);
  });
});
