using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Voting.Domain;
using Voting.Domain.Audit;
using Voting.Domain.Export;
using Voting.Domain.Show;
using Voting.Storage;

namespace Voting.Server.Export;

/// <summary>
/// Writes an export as NDJSON to the response as the store reads it: each line serialized straight into the
/// response's pipe, flushed every few hundred lines (a flush waits while the client is behind, so a slow
/// reader holds back the database reader instead of filling memory). The trailer's totals and digest are
/// replayed from the very lines written.
/// </summary>
public sealed class ExportWriter(HttpResponse response, long episode, TimeProvider time) : IExportSink, IDisposable
{
    private const int LinesPerFlush = 500;
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    private readonly PipeWriter _body = response.BodyWriter;
    private readonly Utf8JsonWriter _json = new(response.BodyWriter, new JsonWriterOptions { Encoder = ExportJson.Options.Encoder });
    private readonly LedgerReplay _replay = new();
    private IReadOnlyList<ExportContestant> _lineup = [];
    private int _unflushed;

    public async ValueTask HeaderAsync(ExportSnapshot snapshot, CancellationToken ct)
    {
        // The episode exists: the answer is the export (the headers go out with its first flush).
        response.ContentType = ExportJson.MediaType;
        response.Headers.ContentDisposition = $"attachment; filename=\"episode-{episode}-export.ndjson\"";
        response.Headers.CacheControl = "no-store";
        _lineup = snapshot.Lineup.Select(c => new ExportContestant(c.Id.Value, c.Name, c.BallotNumber, c.Status)).ToList();
        var frozen = snapshot.Show.ResultsDigest is { } digest
            ? new FrozenResults(digest, snapshot.Show.ResultsVotes ?? 0,
                LedgerReplay.Rank(_lineup, id => snapshot.TallyVotes.GetValueOrDefault(new ContestantId(id))))
            : null;
        var e = snapshot.Episode;
        await WriteAsync(new ExportHeader(ExportJson.Format, time.GetUtcNow(),
            new ExportEpisode(e.Id.Value, e.SeasonId, e.EpisodeNumber, e.Title, ShowWire.Name(snapshot.Show.State), e.Window.Start, e.Window.End),
            _lineup, frozen, VoteDigest.Format), ct);
    }

    public ValueTask VoteAsync(ExportVote vote, CancellationToken ct)
    {
        _replay.Add(vote);
        return WriteAsync(vote, ct);
    }

    public ValueTask VoidAsync(ExportVoid row, CancellationToken ct)
    {
        _replay.Add(row);
        return WriteAsync(row, ct);
    }

    /// <summary>Writes the trailer and flushes the rest.</summary>
    public async ValueTask FinishAsync(CancellationToken ct)
    {
        await WriteAsync(new ExportTrailer(_replay.VoteRows, _replay.VoidRows, _replay.CountedVotes, _replay.VoidedVotes,
            _replay.Rank(_lineup), _replay.FinishDigest()), ct);
        await FlushAsync(ct);
    }

    private async ValueTask WriteAsync(ExportLine line, CancellationToken ct)
    {
        JsonSerializer.Serialize(_json, line, ExportJson.Options);
        _json.Flush();
        _json.Reset();
        _body.Write(NewLine);
        if (++_unflushed < LinesPerFlush) return;
        _unflushed = 0;
        await FlushAsync(ct);
    }

    /// <summary>Waits while the client is behind; stops the export (and the store's reader) once the client has gone.</summary>
    private async ValueTask FlushAsync(CancellationToken ct)
    {
        var flushed = await _body.FlushAsync(ct);
        if (flushed.IsCompleted || flushed.IsCanceled) throw new ExportAbandonedException();
    }

    public void Dispose()
    {
        _json.Dispose();
        _replay.Dispose();
    }
}

/// <summary>The client stopped reading the export (its connection is gone): the export ends quietly, it is not a server error.</summary>
public sealed class ExportAbandonedException() : OperationCanceledException("the client stopped reading the export");
