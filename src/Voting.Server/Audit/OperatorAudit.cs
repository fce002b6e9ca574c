using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Voting.Server.Infrastructure;
using Voting.Storage;

namespace Voting.Server.Audit;

/// <summary>
/// Records operator actions in the audit log under the name of the key the request carried. Every
/// operator endpoint that changes something calls <see cref="RecordAsync"/> once the change succeeded;
/// a store method that can take the entry into its own transaction gets it from <see cref="Entry"/>.
/// </summary>
public sealed class OperatorAudit(IAuditStore store, IOptions<JsonOptions> json, ILogger<OperatorAudit> logger)
{
    /// <summary>The entry for an action of this request's operator; <paramref name="details"/> is serialized as the API writes JSON.</summary>
    public AuditEntry Entry(HttpContext http, string action, string target, object? details = null) =>
        new(OperatorName.Of(http) ?? throw new InvalidOperationException($"{action} on {target}: the request did not pass the operator key filter"),
            action, target, http.TraceIdentifier, details is null ? null : JsonSerializer.Serialize(details, json.Value.SerializerOptions));

    /// <summary>
    /// Appends the entry for an action that has been done. The change is committed already, so the
    /// append is not cancelled with the request, and a failure to append is logged (with the whole
    /// entry) rather than turned into an error answer that would make the operator repeat the change.
    /// </summary>
    public async Task RecordAsync(HttpContext http, string action, string target, object? details = null)
    {
        var entry = Entry(http, action, target, details);
        try
        {
            await store.AppendAuditAsync(entry, CancellationToken.None);
        }
        catch (Exception error)
        {
            Log.AuditFailed(logger, error, entry.Actor, entry.Action, entry.Target, entry.RequestId, entry.Details);
        }
    }
}
