var app = WebApplication.Create(args);
app.MapGet("/health", () => Results.Ok(new { status = "ok" }));
app.Run();
