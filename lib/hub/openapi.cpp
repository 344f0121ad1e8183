// The OpenAPI 3.1 description of /api/v1. Kept next to the handlers (api.cpp); the end-to-end
// test checks every real response against it (tests/e2e/hub_api.py).
#include "hub/api.hpp"

namespace renkei::hub {

const std::string& openapi_json() {
  static const std::string kDoc = R"json({
  "openapi": "3.1.0",
  "info": {"title": "renkei hub API", "version": "1", "description": "Submissions, analysis results, organisations, users, tokens and the audit log of a renkei hub. Authenticate with 'Authorization: Bearer rk_…' (renkei admin bootstrap prints the first token). Errors are {\"error\": {\"code\", \"message\", \"hint\"}}. A participant sees only its own organisation's objects: another organisation's are 404, not 403. Each token may make 20 requests per second on average (bursts of 300); beyond that: 429 with Retry-After."},
  "servers": [{"url": "/api/v1"}],
  "security": [{"bearer": []}],
  "components": {
    "securitySchemes": {
      "bearer": {"type": "http", "scheme": "bearer"}
    },
    "schemas": {
      "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["code", "message", "hint"], "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "hint": {"type": "string"}}}}},
      "Health": {"type": "object", "required": ["status", "schema_version"], "properties": {"status": {"const": "ok"}, "schema_version": {"type": "integer"}}},
      "User": {"type": "object", "required": ["id", "login", "display_name", "role", "organization_id", "disabled"], "properties": {"id": {"type": "integer"}, "login": {"type": "string"}, "display_name": {"type": "string"}, "role": {"enum": ["hub_admin", "hub_analyst", "submitter", "reader", "liaison"]}, "organization_id": {"type": ["integer", "null"]}, "disabled": {"type": "boolean"}, "scopes": {"type": "array", "items": {"enum": ["read", "submit", "admin"]}}}},
      "Vip": {"type": "object", "required": ["name", "name_ja", "title", "addresses"], "properties": {"name": {"type": "string"}, "name_ja": {"type": "string"}, "title": {"type": "string"}, "addresses": {"type": "array", "items": {"type": "string"}}}},
      "Organization": {"type": "object", "required": ["id", "name", "name_ja", "industry", "is_hub", "domains", "partner_domains", "vips"], "properties": {"id": {"type": "integer"}, "name": {"type": "string"}, "name_ja": {"type": "string"}, "industry": {"type": "string"}, "is_hub": {"type": "boolean"}, "domains": {"type": "array", "items": {"type": "string"}}, "partner_domains": {"type": "array", "items": {"type": "string"}}, "vips": {"type": "array", "items": {"$ref": "#/components/schemas/Vip"}}}},
      "NewOrganization": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}, "name_ja": {"type": "string"}, "industry": {"type": "string"}, "domains": {"type": "array", "items": {"type": "string"}}, "partner_domains": {"type": "array", "items": {"type": "string"}}, "vips": {"type": "array", "items": {"$ref": "#/components/schemas/Vip"}}}},
      "Submission": {"type": "object", "required": ["id", "organization_id", "external_reporter", "kind", "channel", "disclosure", "consultation_category", "free_text", "status", "submitted_at", "analysed_at", "verdict", "subject", "artefact", "error"], "properties": {"id": {"type": "integer"}, "organization_id": {"type": ["integer", "null"]}, "external_reporter": {"type": "string"}, "submitted_by": {"type": ["integer", "null"], "description": "hub roles only"}, "kind": {"enum": ["email", "communication", "incident", "malware", "fake_site", "consultation"]}, "channel": {"type": "string"}, "disclosure": {"enum": ["not_shared", "anonymised", "with_name"]}, "consultation_category": {"type": "string"}, "free_text": {"type": "string"}, "status": {"enum": ["queued", "analysing", "analysed", "failed"]}, "submitted_at": {"type": "string", "format": "date-time"}, "analysed_at": {"type": ["string", "null"], "format": "date-time"}, "verdict": {"type": ["string", "null"]}, "subject": {"type": "string"}, "artefact": {"type": ["object", "null"], "required": ["sha256", "size"], "properties": {"sha256": {"type": "string"}, "size": {"type": "integer"}}}, "error": {"type": ["string", "null"]}, "analysis": {"type": ["object", "null"], "description": "detail only: renkei.analysis/1 (docs/json-contract.md) for e-mail, renkei.indicators/1 otherwise"}}},
      "NewSubmission": {"type": "object", "properties": {"kind": {"enum": ["email", "communication", "incident", "malware", "fake_site", "consultation"]}, "disclosure": {"enum": ["not_shared", "anonymised", "with_name"]}, "consultation_category": {"type": "string"}, "free_text": {"type": "string"}, "artefact_base64": {"type": "string"}, "external_reporter": {"type": "string", "description": "hub roles only: a report from outside the community"}}},
      "Accepted": {"type": "object", "required": ["id", "duplicate", "links"], "properties": {"id": {"type": "integer"}, "duplicate": {"type": "boolean"}, "links": {"type": "object", "required": ["self"], "properties": {"self": {"type": "string"}}}}},
      "SubmissionList": {"type": "object", "required": ["items", "next_before"], "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Submission"}}, "next_before": {"type": ["integer", "null"]}}},
      "OrganizationList": {"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Organization"}}}},
      "NewUser": {"type": "object", "required": ["login", "role"], "properties": {"login": {"type": "string"}, "display_name": {"type": "string"}, "password": {"type": "string"}, "role": {"enum": ["hub_admin", "hub_analyst", "submitter", "reader", "liaison"]}, "organization_id": {"type": ["integer", "null"]}}},
      "NewToken": {"type": "object", "properties": {"name": {"type": "string"}, "scopes": {"type": "array", "items": {"enum": ["read", "submit", "admin"]}}, "user_id": {"type": "integer", "description": "hub admins only: a token for another user"}}},
      "Token": {"type": "object", "required": ["id", "token", "scopes"], "properties": {"id": {"type": "integer"}, "token": {"type": "string", "description": "shown once"}, "scopes": {"type": "array", "items": {"type": "string"}}}},
      "Revoked": {"type": "object", "required": ["id", "revoked"], "properties": {"id": {"type": "integer"}, "revoked": {"const": true}}},
      "CategoryList": {"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": {"type": "object", "required": ["key", "name", "name_ja"], "properties": {"key": {"type": "string"}, "name": {"type": "string"}, "name_ja": {"type": "string"}}}}}},
      "AuditList": {"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": {"type": "object", "required": ["id", "at", "user_id", "action", "object", "remote", "detail"], "properties": {"id": {"type": "integer"}, "at": {"type": "string"}, "user_id": {"type": ["integer", "null"]}, "action": {"type": "string"}, "object": {"type": "string"}, "remote": {"type": "string"}, "detail": {"type": "string"}}}}}},
      "Sig": {"type": "object", "required": ["id", "name", "name_ja", "members"], "properties": {"id": {"type": "integer"}, "name": {"type": "string"}, "name_ja": {"type": "string"}, "members": {"type": "integer", "description": "organisations in it today"}}},
      "SigList": {"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Sig"}}}},
      "NewSig": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}, "name_ja": {"type": "string"}}},
      "Membership": {"type": "object", "required": ["organization_id", "joined_on"], "properties": {"sig_id": {"type": "integer"}, "organization_id": {"type": "integer"}, "joined_on": {"type": "string", "format": "date"}, "left_on": {"type": ["string", "null"], "format": "date"}}},
      "LiaisonList": {"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": {"type": "object", "required": ["id", "name", "name_ja", "represented_members", "organization_id"], "properties": {"id": {"type": "integer"}, "name": {"type": "string"}, "name_ja": {"type": "string"}, "represented_members": {"type": "integer"}, "organization_id": {"type": ["integer", "null"]}}}}}}
    },
    "responses": {
      "Error": {"description": "an error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    }
  },
  "paths": {
    "/health": {
      "get": {"security": [], "summary": "Is the hub up?", "responses": {"200": {"description": "up", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Health"}}}}}}
    },
    "/openapi.json": {
      "get": {"security": [], "summary": "This document", "responses": {"200": {"description": "OpenAPI 3.1"}}}
    },
    "/me": {
      "get": {"summary": "Who the token belongs to", "responses": {"200": {"description": "the caller", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}}, "401": {"$ref": "#/components/responses/Error"}, "429": {"$ref": "#/components/responses/Error"}}}
    },
    "/submissions": {
      "post": {"summary": "Submit a suspicious mail (message/rfc822 body, ?disclosure=) or another kind of report (JSON)", "parameters": [{"name": "disclosure", "in": "query", "schema": {"enum": ["not_shared", "anonymised", "with_name"]}}], "requestBody": {"content": {"message/rfc822": {"schema": {"type": "string", "format": "binary"}}, "application/json": {"schema": {"$ref": "#/components/schemas/NewSubmission"}}}}, "responses": {"202": {"description": "accepted; analysed in the background", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Accepted"}}}}, "200": {"description": "the same bytes were submitted before by this organisation", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Accepted"}}}}, "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"}, "413": {"description": "the file is over 64 MiB (bodies over 129 MiB have their connection closed instead)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}, "415": {"$ref": "#/components/responses/Error"}, "429": {"$ref": "#/components/responses/Error"}}},
      "get": {"summary": "Submissions the caller may see, newest first", "parameters": [{"name": "status", "in": "query", "schema": {"enum": ["queued", "analysing", "analysed", "failed"]}}, {"name": "kind", "in": "query", "schema": {"type": "string"}}, {"name": "verdict", "in": "query", "schema": {"type": "string"}}, {"name": "q", "in": "query", "description": "full-text search (Japanese included)", "schema": {"type": "string"}}, {"name": "before", "in": "query", "description": "next_before of the previous page", "schema": {"type": "integer"}}, {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500}}], "responses": {"200": {"description": "a page", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SubmissionList"}}}}, "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"}, "429": {"$ref": "#/components/responses/Error"}}}
    },
    "/submissions/{id}": {
      "get": {"summary": "One submission with its analysis", "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}], "responses": {"200": {"description": "the submission", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Submission"}}}}, "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"}, "429": {"$ref": "#/components/responses/Error"}}}
    },
    "/submissions/{id}/raw": {
      "get": {"summary": "The original bytes, exactly as submitted (as an attachment)", "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}], "responses": {"200": {"description": "the file", "content": {"message/rfc822": {}, "application/octet-stream": {}}}, "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"}, "429": {"$ref": "#/components/responses/Error"}}}
    },
    "/organizations": {
      "get": {"summary": "Organisations the caller may see (participants: their own)", "responses": {"200": {"description": "the list", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/OrganizationList"}}}}, "401": {"$ref": "#/components/responses/Error"}, "429": {"$ref": "#/components/responses/Error"}}},
      "post": {"summary": "Create an organisation with its registry data (hub admin)", "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewOrganization"}}}}, "responses": {"201": {"description": "created", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Organization"}}}}, "400": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "429": {"$ref": "#/components/responses/Error"}}}
    },
    "/organizations/{id}": {
      "get": {"summary": "One organisation", "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}], "responses": {"200": {"description": "the organisation", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Organization"}}}}, "404": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "429": {"$ref": "#/components/responses/Error"}}}
    },
    "/users": {
      "post": {"summary": "Create a user (hub admin)", "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewUser"}}}}, "responses": {"201": {"description": "created", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}}, "400": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "429": {"$ref": "#/components/responses/Error"}}}
    },
    "/tokens": {
      "post": {"summary": "Create an API token (for oneself; hub admins for anyone); never more scopes than the caller's", "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewToken"}}}}, "responses": {"201": {"description": "created; the secret is shown once", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Token"}}}}, "400": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "429": {"$ref": "#/components/responses/Error"}}}
    },
    "/tokens/{id}": {
      "delete": {"summary": "Revoke a token (one's own; hub admins any)", "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}], "responses": {"200": {"description": "revoked", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Revoked"}}}}, "404": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "429": {"$ref": "#/components/responses/Error"}}}
    },
    "/consultation-categories": {
      "get": {"summary": "The configurable consultation categories", "responses": {"200": {"description": "the list", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CategoryList"}}}}, "401": {"$ref": "#/components/responses/Error"}, "429": {"$ref": "#/components/responses/Error"}}}
    },
    "/audit": {
      "get": {"summary": "The audit log, newest first (hub roles)", "parameters": [{"name": "before", "in": "query", "schema": {"type": "integer"}}, {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500}}], "responses": {"200": {"description": "a page", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AuditList"}}}}, "403": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "429": {"$ref": "#/components/responses/Error"}}}
    },
    "/sigs": {
      "get": {"summary": "The SIGs with how many organisations are in each today", "responses": {"200": {"description": "the SIGs", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SigList"}}}}, "401": {"$ref": "#/components/responses/Error"}, "429": {"$ref": "#/components/responses/Error"}}},
      "post": {"summary": "Create a SIG (hub admin)", "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewSig"}}}}, "responses": {"201": {"description": "created", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Sig"}}}}, "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}, "429": {"$ref": "#/components/responses/Error"}}}
    },
    "/sigs/{id}/members": {
      "post": {"summary": "Record that an organisation joined (and maybe left) a SIG (hub admin)", "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}], "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Membership"}}}}, "responses": {"201": {"description": "recorded", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Membership"}}}}, "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}, "429": {"$ref": "#/components/responses/Error"}}}
    },
    "/liaison-networks": {
      "get": {"summary": "Liaison networks and how many organisations each relays to", "responses": {"200": {"description": "the networks", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/LiaisonList"}}}}, "401": {"$ref": "#/components/responses/Error"}, "429": {"$ref": "#/components/responses/Error"}}}
    }
  }
})json";
  return kDoc;
}

}  // namespace renkei::hub
