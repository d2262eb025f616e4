// Served as a file, not inline, so that the Content-Security-Policy can forbid inline scripts.
window.ui = SwaggerUIBundle({ url: "/api/v1/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
