// Starts Swagger UI on the service's own OpenAPI document. "Authorize" takes a SEC token
// (locally: local-dev-token); "Try it out" then calls this same host.
window.addEventListener('load', () => {
  window.ui = window.SwaggerUIBundle({
    url: '/api_doc/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    tryItOutEnabled: true,
    displayRequestDuration: true,
    defaultModelsExpandDepth: 0,
  });
});
