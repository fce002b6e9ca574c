using System.Text.Json;

namespace Voting.Server.Tests.Infrastructure;

/// <summary>Checks on the error envelope every failure answers with.</summary>
public static class ApiAssert
{
    /// <summary>The status, the envelope ({ success: false, errors: [...], error_code }) and the code.</summary>
    public static void Error(ApiAnswer answer, int status, string code)
    {
        Assert.True(answer.Code == status && answer.ErrorCode == code,
            $"expected {status} {code}, got {answer.Code} {answer.ErrorCode}: {answer.Body}");
        Assert.False(answer.Body.GetProperty("success").GetBoolean());
        var errors = answer.Body.GetProperty("errors");
        Assert.Equal(JsonValueKind.Array, errors.ValueKind);
        Assert.NotEqual(0, errors.GetArrayLength());
    }

    /// <summary>The first human message of an error envelope.</summary>
    public static string Message(ApiAnswer answer) => answer.Body.GetProperty("errors")[0].GetString()!;
}
