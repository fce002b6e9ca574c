namespace Voting.Server.Sms;

/// <summary>The carriers' webhooks for premium texts to the short code.</summary>
public static class SmsWebhookApi
{
    public static IEndpointRouteBuilder MapSmsWebhooks(this IEndpointRouteBuilder app)
    {
        var hooks = app.MapGroup("/webhooks/sms").AllowAnonymous();
        hooks.MapPost("/smart", (HttpContext http, SmartWebhook hook, SmsIntakeHandler handler) => handler.HandleAsync(http, hook));
        hooks.MapPost("/cellcard", (HttpContext http, CellcardWebhook hook, SmsIntakeHandler handler) => handler.HandleAsync(http, hook));
        hooks.MapPost("/metfone", (HttpContext http, MetfoneWebhook hook, SmsIntakeHandler handler) => handler.HandleAsync(http, hook));
        return app;
    }
}
