using Azure.Storage.Blobs;

namespace Impress.Fhir.Storage.Azure;

/// <summary>
/// The rows a commit may write, saved as a blob before it writes any: what lets the sweeper find and remove the rows
/// of a commit whose writer died. Rows another commit holds are listed too; removal only touches rows that carry
/// this commit's id.
/// </summary>
internal sealed class CommitRows(string commitId)
{
    public string CommitId { get; } = commitId;

    public List<(string Partition, string Row)> Versions { get; init; } = [];

    public List<(string Partition, string Row)> Claims { get; init; } = [];

    public List<(string Partition, string Row)> Tokens { get; init; } = [];

    /// <summary>The commit's stage messages: sent once it is committed, by its writer or, when the writer died, by the sweeper.</summary>
    public List<StageMessage> Messages { get; init; } = [];

    public static string BlobName(string commitId) => $"commits/{commitId}.json";

    public Task SaveAsync(BlobContainerClient blobs, CancellationToken cancellationToken) =>
        blobs.GetBlobClient(BlobName(CommitId)).UploadAsync(BinaryData.FromObjectAsJson(Manifest.Of(this)), overwrite: true, cancellationToken);

    public static async Task<CommitRows> LoadAsync(BlobContainerClient blobs, string commitId, CancellationToken cancellationToken)
    {
        var blob = blobs.GetBlobClient(BlobName(commitId));
        if (!await blob.ExistsAsync(cancellationToken))
        {
            return new CommitRows(commitId);
        }

        var manifest = (await blob.DownloadContentAsync(cancellationToken)).Value.Content.ToObjectFromJson<Manifest>();
        return manifest?.ToRows(commitId) ?? new CommitRows(commitId);
    }

    private sealed record Manifest(string[][] Versions, string[][] Claims, string[][] Tokens, string[][]? Messages)
    {
        public static Manifest Of(CommitRows rows) =>
            new(Pairs(rows.Versions), Pairs(rows.Claims), Pairs(rows.Tokens), [.. rows.Messages.Select(m => new[] { m.Queue, m.Body, m.Delay.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture) })]);

        public CommitRows ToRows(string commitId) => new(commitId)
        {
            Versions = [.. Versions.Select(p => (p[0], p[1]))],
            Claims = [.. Claims.Select(p => (p[0], p[1]))],
            Tokens = [.. Tokens.Select(p => (p[0], p[1]))],
            Messages = [.. (Messages ?? []).Select(p => new StageMessage(p[0], p[1], TimeSpan.FromTicks(long.Parse(p[2], System.Globalization.CultureInfo.InvariantCulture))))],
        };

        private static string[][] Pairs(List<(string Partition, string Row)> keys) => [.. keys.Select(k => new[] { k.Partition, k.Row })];
    }
}
