namespace Voting.Storage;

/// <summary>Viewers' sign-in codes, and the settings the host keeps in the store (its development signing key).</summary>
public interface IAuthStore
{
    /// <summary>Stores a new one-time code and its SMS in the outbox, unless the phone had too many this hour.</summary>
    Task<bool> IssueCodeAsync(NewOneTimeCode code, CancellationToken ct);

    /// <summary>Checks a code; on success marks it used and returns the voter, created on first sign-in.</summary>
    Task<CodeCheck> VerifyCodeAsync(string phone, string codeHash, int maxAttempts, CancellationToken ct);

    /// <summary>Returns the stored setting, storing <paramref name="value"/> first if there is none.</summary>
    Task<string> GetOrAddSettingAsync(string key, string value, CancellationToken ct);
}
