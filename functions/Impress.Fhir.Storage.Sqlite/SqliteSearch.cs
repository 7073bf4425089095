using System.Text;
using Microsoft.Data.Sqlite;

namespace Impress.Fhir.Storage.Sqlite;

/// <summary>
/// Turns a <see cref="SearchQuery"/> into one SELECT. Each criterion is an id set from the token index
/// (<c>c.id IN (SELECT id FROM search_token ...)</c>), which SQLite uses to look current versions up by key; pages
/// follow the id order, continuing after the last id of the previous page (keyset paging: stable while the store
/// changes, and as fast on the hundredth page as on the first).
/// </summary>
internal static class SqliteSearch
{
    public static SqliteCommand Build(SqliteConnection connection, SearchQuery query)
    {
        var command = connection.CreateCommand();
        var sql = new StringBuilder("""
            SELECT c.version, c.last_updated, c.deleted, v.json, c.id
            FROM resource_current c JOIN resource_version v ON v.type = c.type AND v.id = c.id AND v.version = c.version
            WHERE c.type = $type AND c.deleted = 0
            """);
        command.Parameters.AddWithValue("$type", query.Type);

        for (var i = 0; i < query.Criteria.Count; i++)
        {
            var criterion = query.Criteria[i];
            sql.Append($"\nAND c.id IN (SELECT id FROM search_token WHERE type = $type AND parameter = $p{i} AND (");
            command.Parameters.AddWithValue($"$p{i}", criterion.Parameter);
            for (var j = 0; j < criterion.AnyOf.Count; j++)
            {
                var match = criterion.AnyOf[j];
                sql.Append(j == 0 ? "(" : " OR (");
                var conditions = new List<string>();
                if (match.Value is { } value)
                {
                    conditions.Add($"value = $v{i}_{j}");
                    command.Parameters.AddWithValue($"$v{i}_{j}", value);
                }

                if (match.System is { } system)
                {
                    conditions.Add($"system = $s{i}_{j}");
                    command.Parameters.AddWithValue($"$s{i}_{j}", system);
                }

                sql.Append(conditions.Count == 0 ? "1" : string.Join(" AND ", conditions)).Append(')');
            }

            sql.Append("))");
        }

        if (query.Ids is { Count: 0 })
        {
            sql.Append("\nAND 0");
        }
        else if (query.Ids is { } ids)
        {
            sql.Append("\nAND c.id IN (").AppendJoin(", ", ids.Select((_, k) => $"$id{k}")).Append(')');
            for (var k = 0; k < ids.Count; k++)
            {
                command.Parameters.AddWithValue($"$id{k}", ids[k]);
            }
        }

        for (var k = 0; k < query.LastUpdated.Count; k++)
        {
            var bound = query.LastUpdated[k];
            var comparison = bound.Comparator switch
            {
                InstantComparator.GreaterThan => ">",
                InstantComparator.GreaterOrEqual => ">=",
                InstantComparator.LessThan => "<",
                InstantComparator.LessOrEqual => "<=",
                _ => throw new ArgumentOutOfRangeException(nameof(query), bound.Comparator, "Unknown comparator."),
            };
            sql.Append($"\nAND c.last_updated {comparison} $lu{k}");
            command.Parameters.AddWithValue($"$lu{k}", bound.Instant.UtcTicks);
        }

        if (query.ContinuationToken is { } after)
        {
            sql.Append("\nAND c.id > $after");
            command.Parameters.AddWithValue("$after", PageToken.Decode(after));
        }

        // One row more than the page: whether it comes back tells whether there is a next page.
        sql.Append("\nORDER BY c.id LIMIT $limit");
        command.Parameters.AddWithValue("$limit", Math.Max(1, query.Count) + 1L);
        command.CommandText = sql.ToString();
        return command;
    }

    /// <summary>The token of the page after the one ending at <paramref name="lastId"/>, pages being in id order.</summary>
    public static string ContinuationAfter(string lastId) => PageToken.Encode(lastId);
}
