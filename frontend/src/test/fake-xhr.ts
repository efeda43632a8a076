import { vi } from 'vitest';

type Sent = { method: string; url: string; headers: Headers; body: FormData | null };

/**
 * An XMLHttpRequest that hands the request to `globalThis.fetch` (stubbed by `stubApi`) and
 * reports upload progress in two steps (half, then all), so upload code runs in tests.
 */
export function installFakeXhr() {
  const sent: Sent[] = [];
  class FakeXhr {
    upload = new EventTarget();
    status = 0;
    responseText = '';
    private events = new EventTarget();
    private method = 'GET';
    private url = '';
    private headers = new Headers();
    private responseHeaders = new Headers();
    open(method: string, url: string) {
      this.method = method;
      this.url = url;
    }
    setRequestHeader(name: string, value: string) {
      this.headers.set(name, value);
    }
    getResponseHeader(name: string) {
      return this.responseHeaders.get(name);
    }
    addEventListener(type: string, listener: EventListener, options?: AddEventListenerOptions) {
      this.events.addEventListener(type, listener, options);
    }
    abort() {
      this.events.dispatchEvent(new Event('abort'));
    }
    send(body: FormData | null) {
      sent.push({ method: this.method, url: this.url, headers: new Headers(this.headers), body });
      const request = new Request(this.url, { method: this.method, headers: this.headers, body });
      void (async () => {
        const total = body ? (await new Request(this.url, { method: 'POST', body }).arrayBuffer()).byteLength : 0;
        for (const loaded of [Math.floor(total / 2), total]) {
          this.upload.dispatchEvent(Object.assign(new Event('progress'), { lengthComputable: true, loaded, total }));
          await new Promise((resolve) => setTimeout(resolve, 0));
        }
        try {
          const response = await globalThis.fetch(request);
          this.status = response.status;
          this.responseHeaders = response.headers;
          this.responseText = await response.text();
          this.events.dispatchEvent(new Event('load'));
        } catch {
          this.events.dispatchEvent(new Event('error'));
        }
      })();
    }
  }
  vi.stubGlobal('XMLHttpRequest', FakeXhr);
  return { sent };
}
