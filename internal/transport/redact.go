package transport

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"

	"golang.org/x/oauth2"
)

// redact makes sure err's message cannot show the token. Tokens only travel in a header, so this
// is a second line of defence (a token source's own error, say): an error that would show the
// token is replaced by one with the token cut out, which keeps errors.Is but hides the original.
func redact(err error, token oauth2.TokenSource) error {
	if token == nil {
		return err
	}
	t, terr := token.Token()
	if terr != nil || t.AccessToken == "" {
		return err
	}
	msg := err.Error()
	if !strings.Contains(msg, t.AccessToken) {
		return err
	}
	return &redactedError{msg: strings.ReplaceAll(msg, t.AccessToken, redactedText), cause: err}
}

// redactedError is an error whose message had the token cut out. It does not unwrap (its cause
// would show the token) but answers errors.Is for its cause's chain (context errors, say).
type redactedError struct {
	msg   string
	cause error
}

func (e *redactedError) Error() string { return e.msg }

func (e *redactedError) Is(target error) bool { return errors.Is(e.cause, target) }

// maxScrubbedBody bounds how much of an error answer's body is read to scrub it; the rest is
// dropped (GitHub's error bodies are a few hundred bytes).
const maxScrubbedBody = 1 << 20

// scrubResponse makes sure nothing the server sent back shows the token before go-github turns
// it into an error: an error answer's body (a server that echoes the Authorization header in its
// message), its header values, and the request URL go-github prints with it (a token pasted
// into the DSN's owner/repo or base_url path). A 2xx or 304 body is data and is left as it is.
func scrubResponse(resp *http.Response, token oauth2.TokenSource) *http.Response {
	if token == nil || resp == nil {
		return resp
	}
	t, err := token.Token()
	if err != nil || t.AccessToken == "" {
		return resp
	}
	secret := t.AccessToken
	if resp.Request != nil && resp.Request.URL != nil && strings.Contains(resp.Request.URL.String(), secret) {
		req := *resp.Request
		u := *req.URL
		u.Path, u.RawPath = strings.ReplaceAll(u.Path, secret, redactedText), strings.ReplaceAll(u.RawPath, secret, redactedText)
		u.RawQuery = strings.ReplaceAll(u.RawQuery, secret, redactedText)
		u.Host = strings.ReplaceAll(u.Host, secret, redactedText)
		req.URL = &u
		resp.Request = &req
	}
	if resp.StatusCode < 400 {
		return resp
	}
	for k, vs := range resp.Header {
		for i, v := range vs {
			if strings.Contains(v, secret) {
				resp.Header[k][i] = strings.ReplaceAll(v, secret, redactedText)
			}
		}
	}
	if resp.Body == nil {
		return resp
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxScrubbedBody))
	resp.Body.Close()
	body = bytes.ReplaceAll(body, []byte(secret), []byte(redactedText))
	if err != nil {
		body = append(body, []byte(" (the rest of the answer was lost: "+strings.ReplaceAll(err.Error(), secret, redactedText)+")")...)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.Header.Del("Content-Length")
	return resp
}

const redactedText = "[REDACTED]"

// Scrub returns s with the Transport's token cut out, for any text that came from a server or
// from the DSN (an owner/repo or base_url a token was pasted into) before it is shown.
func (t *Transport) Scrub(s string) string {
	if t == nil || t.impl.token == nil {
		return s
	}
	tok, err := t.impl.token.Token()
	if err != nil || tok.AccessToken == "" {
		return s
	}
	return strings.ReplaceAll(s, tok.AccessToken, redactedText)
}
