// Starts Swagger UI on the service's own OpenAPI document. "Authorize" takes a SEC token
// (locally: local-dev-token) or a user name and password; "Try it out" then calls the API on
// this same host, an id field starting with a restore `npm start` loads. The groups start
// closed. (scripts/api-doc.ts writes the document's name with its content hash.)
window.addEventListener('load', () => {
  window.ui = window.SwaggerUIBundle({
    url: '/api_doc/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    tryItOutEnabled: true,
    displayRequestDuration: true,
    docExpansion: 'none',
    defaultModelsExpandDepth: 0,
  });
});
