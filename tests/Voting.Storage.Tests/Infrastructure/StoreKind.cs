namespace Voting.Storage.Tests.Infrastructure;

/// <summary>The provider a contract test runs against.</summary>
public enum StoreKind { Sqlite, Postgres }
