using System.Text.Json.Serialization;

namespace Voting.LoadTest.Watchers;

// A watcher child talks to its parent in JSON lines on stdout; the parent answers on stdin with
// "measure <start unix ms> <end unix ms>" and "stop".

/// <summary>Once a second: the child's running totals.</summary>
internal sealed record ChildStatus(string Kind, int Connected, int Failed, int Dropped, long Messages);

/// <summary>The child's figures, sent once, after "stop".</summary>
internal sealed record ChildResult(
    string Kind,
    int Requested,
    int Connected,
    int Failed,
    int Dropped,
    int HeldAtEnd,
    long Messages,
    long MeasuredMessages,
    long MeasuredLiveResults,
    long MeasuredBytes,
    long SeqRegressions,
    HistogramData CommitToReceipt,
    HistogramData SendToReceipt,
    IReadOnlyDictionary<string, long> ConnectErrors);

/// <summary>A child's plan and its figures (null when it died or did not report).</summary>
internal sealed record ChildOutcome(ChildOptions Options, ChildResult? Result);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ChildStatus))]
[JsonSerializable(typeof(ChildResult))]
internal sealed partial class ChildJson : JsonSerializerContext;
