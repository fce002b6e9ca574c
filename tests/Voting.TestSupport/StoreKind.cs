namespace Voting.TestSupport;

/// <summary>The store a test runs against.</summary>
public enum StoreKind { Sqlite, Postgres }
