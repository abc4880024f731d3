// Starts Swagger UI on the service's own OpenAPI document. "Authorize" takes a SEC token
// (locally: local-dev-token) or a user name and password; "Try it out" then calls the API on
// this same host. The groups start closed: other_requests alone holds dozens of operations
// that only refuse.
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
