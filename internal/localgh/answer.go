package localgh

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
)

// answer is a response before it is written: the pipeline adds ETag and rate-limit headers.
type answer struct {
	status int
	header http.Header
	body   []byte
}

const (
	docsBase           = "https://docs.github.com/rest"
	docsPrimaryLimit   = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-primary-rate-limits"
	docsSecondaryLimit = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"
	msgSecondaryLimit  = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000:0000000:00000000."
	msgIssuesDisabled  = "Issues are disabled for this repo"
	msgNotFound        = "Not Found"
	msgNeedAuth        = "Requires authentication"
	msgBadCredentials  = "Bad credentials"
	msgNoPush          = "Must have admin rights to Repository."
)

// marshal encodes v as GitHub does: no HTML escaping, no trailing newline.
func marshal(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic("localgh: cannot encode answer: " + err.Error())
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

func jsonAnswer(status int, v any) *answer {
	h := http.Header{}
	h.Set("Content-Type", "application/json; charset=utf-8")
	return &answer{status: status, header: h, body: marshal(v)}
}

func noContent() *answer { return &answer{status: http.StatusNoContent, header: http.Header{}} }

type errorBody struct {
	Message          string       `json:"message"`
	Errors           []fieldError `json:"errors,omitempty"`
	DocumentationURL string       `json:"documentation_url"`
	Status           string       `json:"status"`
}

// fieldError is one entry of a 422's errors[].
type fieldError struct {
	Resource string `json:"resource,omitempty"`
	Field    string `json:"field,omitempty"`
	Code     string `json:"code"`
	Message  string `json:"message,omitempty"`
	Value    any    `json:"value,omitempty"`
}

func errAnswer(status int, msg, doc string) *answer {
	if doc == "" {
		doc = docsBase
	}
	return jsonAnswer(status, errorBody{Message: msg, DocumentationURL: doc, Status: strconv.Itoa(status)})
}

func validationFailed(doc string, errs ...fieldError) *answer {
	if doc == "" {
		doc = docsBase
	}
	return jsonAnswer(http.StatusUnprocessableEntity, errorBody{Message: "Validation Failed", Errors: errs, DocumentationURL: doc, Status: "422"})
}

func notFound() *answer  { return errAnswer(http.StatusNotFound, msgNotFound, "") }
func needAuth() *answer  { return errAnswer(http.StatusUnauthorized, msgNeedAuth, "") }
func forbidden() *answer { return errAnswer(http.StatusForbidden, msgNoPush, "") }
func badRequest(msg string) *answer {
	return errAnswer(http.StatusBadRequest, msg, "")
}
func serverError(err error) *answer {
	return errAnswer(http.StatusInternalServerError, "Server Error: "+err.Error(), "")
}

// faultAnswer is the GitHub-shaped answer an injected Status fault gives.
func faultAnswer(f Fault) *answer {
	switch {
	case (f.Status == http.StatusForbidden || f.Status == http.StatusTooManyRequests) && (f.RetryAfter > 0 || f.Secondary):
		a := errAnswer(f.Status, msgSecondaryLimit, docsSecondaryLimit)
		if f.RetryAfter > 0 {
			a.header.Set("Retry-After", strconv.Itoa(f.RetryAfter))
		}
		return a
	case f.Status == http.StatusForbidden && f.RateLimited:
		return errAnswer(f.Status, "API rate limit exceeded for user ID 0. If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000:0000000:00000000.", docsPrimaryLimit)
	case f.Status == http.StatusUnauthorized:
		return errAnswer(f.Status, msgBadCredentials, "")
	case f.Status == http.StatusNotFound:
		return notFound()
	case f.Status == http.StatusGone:
		return errAnswer(f.Status, msgIssuesDisabled, "")
	case f.Status == http.StatusUnprocessableEntity:
		return validationFailed("", fieldError{Code: "custom", Message: "injected fault"})
	case f.Status == http.StatusForbidden:
		return forbidden()
	}
	text := http.StatusText(f.Status)
	if text == "" {
		text = "Error"
	}
	return errAnswer(f.Status, text, "")
}
