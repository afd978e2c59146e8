using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace QcdcCompliance.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Areas",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Level = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ValidFrom = table.Column<DateOnly>(type: "date", nullable: true),
                    ValidTo = table.Column<DateOnly>(type: "date", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Areas", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AuditChainHeads",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    Sequence = table.Column<long>(type: "bigint", nullable: false),
                    Hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditChainHeads", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "DataValueAudits",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    UnitId = table.Column<int>(type: "integer", nullable: false),
                    PeriodId = table.Column<int>(type: "integer", nullable: false),
                    IndicatorId = table.Column<int>(type: "integer", nullable: false),
                    OldValue = table.Column<long>(type: "bigint", nullable: true),
                    NewValue = table.Column<long>(type: "bigint", nullable: true),
                    OldComment = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    NewComment = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    ChangedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    ChangedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Source = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DataValueAudits", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Indicators",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    Code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    NameVi = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    NameEn = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    ValueType = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    AppliesTo = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    PeriodType = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    YearRollup = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Indicators", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "OutboxMessages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Key = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    Kind = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    RunId = table.Column<long>(type: "bigint", nullable: true),
                    Recipient = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    Subject = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    TextBody = table.Column<string>(type: "text", maxLength: -1, nullable: false),
                    HtmlBody = table.Column<string>(type: "text", maxLength: -1, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    NextAttemptAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LastError = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    SentAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OutboxMessages", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Periods",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Type = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Year = table.Column<int>(type: "integer", nullable: false),
                    Number = table.Column<int>(type: "integer", nullable: false),
                    Start = table.Column<DateOnly>(type: "date", nullable: false),
                    End = table.Column<DateOnly>(type: "date", nullable: false),
                    Deadline = table.Column<DateOnly>(type: "date", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Periods", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Resolutions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Title = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    Issuer = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    IssuedOn = table.Column<DateOnly>(type: "date", nullable: false),
                    ValidFrom = table.Column<DateOnly>(type: "date", nullable: true),
                    ValidTo = table.Column<DateOnly>(type: "date", nullable: true),
                    ScopeAreaCode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    LegalBasisJson = table.Column<string>(type: "text", maxLength: -1, nullable: false),
                    ContentHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ImportedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Resolutions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ScopeStates",
                columns: table => new
                {
                    PeriodId = table.Column<int>(type: "integer", nullable: false),
                    ScopeAreaId = table.Column<int>(type: "integer", nullable: false),
                    LatestRunId = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ScopeStates", x => new { x.PeriodId, x.ScopeAreaId });
                });

            migrationBuilder.CreateTable(
                name: "ApiKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Role = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    AreaId = table.Column<int>(type: "integer", nullable: false),
                    Prefix = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    KeyHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    RevokedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ApiKeys", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ApiKeys_Areas_AreaId",
                        column: x => x.AreaId,
                        principalTable: "Areas",
                        principalColumn: "Id");
                });

            migrationBuilder.CreateTable(
                name: "AreaLineages",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    PredecessorId = table.Column<int>(type: "integer", nullable: false),
                    SuccessorId = table.Column<int>(type: "integer", nullable: false),
                    EffectiveFrom = table.Column<DateOnly>(type: "date", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AreaLineages", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AreaLineages_Areas_PredecessorId",
                        column: x => x.PredecessorId,
                        principalTable: "Areas",
                        principalColumn: "Id");
                    table.ForeignKey(
                        name: "FK_AreaLineages_Areas_SuccessorId",
                        column: x => x.SuccessorId,
                        principalTable: "Areas",
                        principalColumn: "Id");
                });

            migrationBuilder.CreateTable(
                name: "AreaLinks",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    AreaId = table.Column<int>(type: "integer", nullable: false),
                    ParentId = table.Column<int>(type: "integer", nullable: true),
                    ValidFrom = table.Column<DateOnly>(type: "date", nullable: true),
                    ValidTo = table.Column<DateOnly>(type: "date", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AreaLinks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AreaLinks_Areas_AreaId",
                        column: x => x.AreaId,
                        principalTable: "Areas",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_AreaLinks_Areas_ParentId",
                        column: x => x.ParentId,
                        principalTable: "Areas",
                        principalColumn: "Id");
                });

            migrationBuilder.CreateTable(
                name: "Units",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Kind = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    AreaId = table.Column<int>(type: "integer", nullable: false),
                    HasTradeUnion = table.Column<bool>(type: "boolean", nullable: false),
                    Headcount = table.Column<int>(type: "integer", nullable: true),
                    ContactEmail = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    ActiveFrom = table.Column<DateOnly>(type: "date", nullable: true),
                    ActiveTo = table.Column<DateOnly>(type: "date", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Units", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Units_Areas_AreaId",
                        column: x => x.AreaId,
                        principalTable: "Areas",
                        principalColumn: "Id");
                });

            migrationBuilder.CreateTable(
                name: "EvaluationRuns",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    PeriodId = table.Column<int>(type: "integer", nullable: false),
                    ScopeAreaId = table.Column<int>(type: "integer", nullable: false),
                    Trigger = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    RuleSetVersion = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    FinishedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    PreviousRunId = table.Column<long>(type: "bigint", nullable: true),
                    UnitsEvaluated = table.Column<int>(type: "integer", nullable: false),
                    FindingsOpen = table.Column<int>(type: "integer", nullable: false),
                    NewCount = table.Column<int>(type: "integer", nullable: false),
                    PersistingCount = table.Column<int>(type: "integer", nullable: false),
                    ResolvedCount = table.Column<int>(type: "integer", nullable: false),
                    Error = table.Column<string>(type: "text", maxLength: -1, nullable: true),
                    ChainSequence = table.Column<long>(type: "bigint", nullable: true),
                    PreviousHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EvaluationRuns", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EvaluationRuns_Areas_ScopeAreaId",
                        column: x => x.ScopeAreaId,
                        principalTable: "Areas",
                        principalColumn: "Id");
                    table.ForeignKey(
                        name: "FK_EvaluationRuns_Periods_PeriodId",
                        column: x => x.PeriodId,
                        principalTable: "Periods",
                        principalColumn: "Id");
                });

            migrationBuilder.CreateTable(
                name: "Targets",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ResolutionId = table.Column<int>(type: "integer", nullable: false),
                    Code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Indicators = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Population = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Minimum = table.Column<long>(type: "bigint", nullable: true),
                    MeasuredOver = table.Column<int>(type: "integer", nullable: false),
                    Periods = table.Column<int>(type: "integer", nullable: false),
                    Severity = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    TextVi = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    TextEn = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    ThresholdMillionths = table.Column<long>(type: "bigint", nullable: false),
                    ThresholdOperator = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Targets", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Targets_Resolutions_ResolutionId",
                        column: x => x.ResolutionId,
                        principalTable: "Resolutions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "DataValues",
                columns: table => new
                {
                    UnitId = table.Column<int>(type: "integer", nullable: false),
                    PeriodId = table.Column<int>(type: "integer", nullable: false),
                    IndicatorId = table.Column<int>(type: "integer", nullable: false),
                    Value = table.Column<long>(type: "bigint", nullable: false),
                    Comment = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    StoredBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    StoredAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DataValues", x => new { x.PeriodId, x.UnitId, x.IndicatorId });
                    table.ForeignKey(
                        name: "FK_DataValues_Indicators_IndicatorId",
                        column: x => x.IndicatorId,
                        principalTable: "Indicators",
                        principalColumn: "Id");
                    table.ForeignKey(
                        name: "FK_DataValues_Periods_PeriodId",
                        column: x => x.PeriodId,
                        principalTable: "Periods",
                        principalColumn: "Id");
                    table.ForeignKey(
                        name: "FK_DataValues_Units_UnitId",
                        column: x => x.UnitId,
                        principalTable: "Units",
                        principalColumn: "Id");
                });

            migrationBuilder.CreateTable(
                name: "AreaResults",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RunId = table.Column<long>(type: "bigint", nullable: false),
                    PeriodId = table.Column<int>(type: "integer", nullable: false),
                    ScopeAreaId = table.Column<int>(type: "integer", nullable: false),
                    TargetCode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    AreaId = table.Column<int>(type: "integer", nullable: false),
                    AreaLevel = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    PopulationUnits = table.Column<int>(type: "integer", nullable: false),
                    MetUnits = table.Column<int>(type: "integer", nullable: false),
                    MissingUnits = table.Column<int>(type: "integer", nullable: false),
                    Numerator = table.Column<long>(type: "bigint", nullable: false),
                    Denominator = table.Column<long>(type: "bigint", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    SupersededByRunId = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AreaResults", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AreaResults_EvaluationRuns_RunId",
                        column: x => x.RunId,
                        principalTable: "EvaluationRuns",
                        principalColumn: "Id");
                });

            migrationBuilder.CreateTable(
                name: "Findings",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RunId = table.Column<long>(type: "bigint", nullable: false),
                    PeriodId = table.Column<int>(type: "integer", nullable: false),
                    ScopeAreaId = table.Column<int>(type: "integer", nullable: false),
                    TargetCode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    SubjectType = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    SubjectId = table.Column<int>(type: "integer", nullable: false),
                    SubjectCode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    State = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Severity = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Numerator = table.Column<long>(type: "bigint", nullable: true),
                    Denominator = table.Column<long>(type: "bigint", nullable: true),
                    Value = table.Column<long>(type: "bigint", nullable: true),
                    Operator = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ThresholdMillionths = table.Column<long>(type: "bigint", nullable: false),
                    Minimum = table.Column<long>(type: "bigint", nullable: true),
                    Evidence = table.Column<string>(type: "text", maxLength: -1, nullable: false),
                    FirstRunId = table.Column<long>(type: "bigint", nullable: false),
                    SupersededByRunId = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Findings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Findings_EvaluationRuns_RunId",
                        column: x => x.RunId,
                        principalTable: "EvaluationRuns",
                        principalColumn: "Id");
                });

            migrationBuilder.CreateTable(
                name: "FindingActions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    FindingId = table.Column<long>(type: "bigint", nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    By = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ChainSequence = table.Column<long>(type: "bigint", nullable: false),
                    PreviousHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FindingActions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FindingActions_Findings_FindingId",
                        column: x => x.FindingId,
                        principalTable: "Findings",
                        principalColumn: "Id");
                });

            migrationBuilder.InsertData(
                table: "AuditChainHeads",
                columns: new[] { "Id", "Hash", "Sequence" },
                values: new object[] { 1, "0000000000000000000000000000000000000000000000000000000000000000", 0L });

            migrationBuilder.InsertData(
                table: "Indicators",
                columns: new[] { "Id", "AppliesTo", "Code", "NameEn", "NameVi", "PeriodType", "ValueType", "YearRollup" },
                values: new object[,]
                {
                    { 1, "XA,CQ,SN,DNNN,DN,LL", "REGULATION_ISSUED", "Democracy regulation issued in full", "Ban hành đầy đủ quy chế thực hiện dân chủ ở cơ sở", "HalfYear", "Boolean", "EndOfYear" },
                    { 2, "XA", "DIALOGUE_CONFERENCES", "Heads-to-people dialogue conferences held", "Số hội nghị đối thoại của người đứng đầu cấp ủy, chính quyền với Nhân dân", "HalfYear", "Count", "Sum" },
                    { 3, "XA,CQ,SN,DNNN,DN,LL", "PEOPLE_INFORMED", "People informed of the guidance", "Số người được quán triệt nội dung văn bản về QCDC", "HalfYear", "Count", "Sum" },
                    { 4, "XA,CQ,SN,DNNN,DN,LL", "PEOPLE_TO_INFORM", "People the unit must inform", "Tổng số cán bộ, đảng viên, CCVC, người lao động thuộc đơn vị", "HalfYear", "Count", "EndOfYear" },
                    { 5, "XA,CQ,SN,DNNN,DN-CĐ", "DISCLOSURE_POSTED", "All required content publicly posted", "Niêm yết công khai đầy đủ nội dung phải công khai", "HalfYear", "Boolean", "EndOfYear" },
                    { 6, "CQ,SN", "STAFF_CONFERENCE_HELD", "Annual staff conference held", "Tổ chức hội nghị cán bộ, công chức, viên chức, người lao động", "Year", "Boolean", "EndOfYear" },
                    { 7, "DNNN,DN-CĐ", "CLA_SIGNED", "Collective labour agreement in force", "Ký thỏa ước lao động tập thể", "Year", "Boolean", "EndOfYear" },
                    { 8, "DNNN,DN-CĐ", "WORKER_CONFERENCE_HELD", "Workers' conference held", "Tổ chức hội nghị người lao động", "Year", "Boolean", "EndOfYear" },
                    { 9, "DNNN,DN", "WORKPLACE_DIALOGUES", "Periodic workplace dialogues held", "Số lần đối thoại định kỳ tại nơi làm việc", "Year", "Count", "Sum" },
                    { 10, "XA,CQ,SN,DNNN", "INSPECTION_BOARD_CONSTITUTED", "People's Inspection Board in place", "Ban Thanh tra nhân dân được kiện toàn đúng quy định", "HalfYear", "Boolean", "EndOfYear" },
                    { 11, "XA,CQ,SN,DNNN", "INSPECTION_SUPERVISIONS", "People's Inspection Board supervisions", "Số cuộc giám sát của Ban Thanh tra nhân dân", "HalfYear", "Count", "Sum" },
                    { 12, "XA", "INVESTMENT_SUPERVISIONS", "Community investment supervisions", "Số cuộc giám sát của Ban Giám sát đầu tư của cộng đồng", "HalfYear", "Count", "Sum" },
                    { 13, "XA", "MEDIATION_TEAMS", "Mediation teams", "Số tổ hòa giải", "HalfYear", "Count", "EndOfYear" },
                    { 14, "XA", "MEDIATORS", "Mediation team members", "Số hòa giải viên", "HalfYear", "Count", "EndOfYear" },
                    { 15, "XA", "MEDIATION_CASES", "Mediation cases received", "Số vụ việc tiếp nhận hòa giải", "HalfYear", "Count", "Sum" },
                    { 16, "XA", "MEDIATION_SUCCESSES", "Mediation cases settled", "Số vụ việc hòa giải thành", "HalfYear", "Count", "Sum" },
                    { 17, "XA,CQ", "COMPLAINTS_RECEIVED", "Complaints and denunciations received", "Đơn thư khiếu nại, tố cáo tiếp nhận", "HalfYear", "Count", "Sum" },
                    { 18, "XA,CQ", "COMPLAINTS_RESOLVED", "Complaints and denunciations resolved", "Đơn thư khiếu nại, tố cáo đã giải quyết", "HalfYear", "Count", "Sum" },
                    { 19, "XA", "CITIZEN_RECEPTION_DAYS", "Days the party head received citizens", "Số ngày người đứng đầu cấp ủy tiếp dân", "HalfYear", "Count", "Sum" },
                    { 20, "*", "MODELS_REGISTERED", "\"Dân vận khéo\" models registered", "Số mô hình \"Dân vận khéo\" đăng ký", "HalfYear", "Count", "Sum" },
                    { 21, "*", "MODELS_RECOGNISED", "\"Dân vận khéo\" models recognised", "Số mô hình \"Dân vận khéo\" được công nhận", "HalfYear", "Count", "Sum" },
                    { 22, "*", "MODELS_EXEMPLARY", "\"Dân vận khéo\" exemplary models", "Số mô hình \"Dân vận khéo\" điển hình", "HalfYear", "Count", "Sum" },
                    { 23, "*", "PROPAGANDA_SESSIONS", "Propaganda sessions", "Số cuộc tuyên truyền", "HalfYear", "Count", "Sum" },
                    { 24, "*", "PROPAGANDA_ATTENDEES", "Propaganda attendances", "Số lượt người tham dự tuyên truyền", "HalfYear", "Count", "Sum" },
                    { 25, "TH", "VILLAGE_CONVENTION_RECOGNISED", "Village convention recognised", "Hương ước, quy ước được công nhận", "Year", "Boolean", "EndOfYear" },
                    { 26, "XA", "NEW_RURAL_STANDARD", "Commune meets the new-rural standard", "Đạt chuẩn nông thôn mới", "Year", "Boolean", "EndOfYear" }
                });

            migrationBuilder.CreateIndex(
                name: "IX_ApiKeys_AreaId",
                table: "ApiKeys",
                column: "AreaId");

            migrationBuilder.CreateIndex(
                name: "IX_ApiKeys_Prefix",
                table: "ApiKeys",
                column: "Prefix",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AreaLineages_PredecessorId",
                table: "AreaLineages",
                column: "PredecessorId");

            migrationBuilder.CreateIndex(
                name: "IX_AreaLineages_SuccessorId",
                table: "AreaLineages",
                column: "SuccessorId");

            migrationBuilder.CreateIndex(
                name: "IX_AreaLinks_AreaId",
                table: "AreaLinks",
                column: "AreaId");

            migrationBuilder.CreateIndex(
                name: "IX_AreaLinks_ParentId",
                table: "AreaLinks",
                column: "ParentId");

            migrationBuilder.CreateIndex(
                name: "IX_AreaResults_PeriodId_ScopeAreaId_TargetCode_AreaId",
                table: "AreaResults",
                columns: new[] { "PeriodId", "ScopeAreaId", "TargetCode", "AreaId" });

            migrationBuilder.CreateIndex(
                name: "IX_AreaResults_RunId",
                table: "AreaResults",
                column: "RunId");

            migrationBuilder.CreateIndex(
                name: "IX_Areas_Code",
                table: "Areas",
                column: "Code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DataValueAudits_UnitId_PeriodId_IndicatorId",
                table: "DataValueAudits",
                columns: new[] { "UnitId", "PeriodId", "IndicatorId" });

            migrationBuilder.CreateIndex(
                name: "IX_DataValues_IndicatorId",
                table: "DataValues",
                column: "IndicatorId");

            migrationBuilder.CreateIndex(
                name: "IX_DataValues_UnitId_PeriodId",
                table: "DataValues",
                columns: new[] { "UnitId", "PeriodId" });

            migrationBuilder.CreateIndex(
                name: "IX_EvaluationRuns_ChainSequence",
                table: "EvaluationRuns",
                column: "ChainSequence",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_EvaluationRuns_PeriodId_ScopeAreaId_Id",
                table: "EvaluationRuns",
                columns: new[] { "PeriodId", "ScopeAreaId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_EvaluationRuns_ScopeAreaId",
                table: "EvaluationRuns",
                column: "ScopeAreaId");

            migrationBuilder.CreateIndex(
                name: "IX_FindingActions_ChainSequence",
                table: "FindingActions",
                column: "ChainSequence",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_FindingActions_FindingId",
                table: "FindingActions",
                column: "FindingId");

            migrationBuilder.CreateIndex(
                name: "IX_Findings_PeriodId_ScopeAreaId_TargetCode_SubjectType_Subjec~",
                table: "Findings",
                columns: new[] { "PeriodId", "ScopeAreaId", "TargetCode", "SubjectType", "SubjectId" });

            migrationBuilder.CreateIndex(
                name: "IX_Findings_PeriodId_TargetCode_SubjectCode_Id",
                table: "Findings",
                columns: new[] { "PeriodId", "TargetCode", "SubjectCode", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Findings_RunId",
                table: "Findings",
                column: "RunId");

            migrationBuilder.CreateIndex(
                name: "IX_Findings_SubjectType_SubjectId",
                table: "Findings",
                columns: new[] { "SubjectType", "SubjectId" });

            migrationBuilder.CreateIndex(
                name: "IX_Indicators_Code",
                table: "Indicators",
                column: "Code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_Key",
                table: "OutboxMessages",
                column: "Key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_RunId",
                table: "OutboxMessages",
                column: "RunId");

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_Status_NextAttemptAt",
                table: "OutboxMessages",
                columns: new[] { "Status", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Periods_Code",
                table: "Periods",
                column: "Code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Resolutions_Code",
                table: "Resolutions",
                column: "Code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Targets_Code",
                table: "Targets",
                column: "Code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Targets_ResolutionId",
                table: "Targets",
                column: "ResolutionId");

            migrationBuilder.CreateIndex(
                name: "IX_Units_AreaId",
                table: "Units",
                column: "AreaId");

            migrationBuilder.CreateIndex(
                name: "IX_Units_Code",
                table: "Units",
                column: "Code",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ApiKeys");

            migrationBuilder.DropTable(
                name: "AreaLineages");

            migrationBuilder.DropTable(
                name: "AreaLinks");

            migrationBuilder.DropTable(
                name: "AreaResults");

            migrationBuilder.DropTable(
                name: "AuditChainHeads");

            migrationBuilder.DropTable(
                name: "DataValueAudits");

            migrationBuilder.DropTable(
                name: "DataValues");

            migrationBuilder.DropTable(
                name: "FindingActions");

            migrationBuilder.DropTable(
                name: "OutboxMessages");

            migrationBuilder.DropTable(
                name: "ScopeStates");

            migrationBuilder.DropTable(
                name: "Targets");

            migrationBuilder.DropTable(
                name: "Indicators");

            migrationBuilder.DropTable(
                name: "Units");

            migrationBuilder.DropTable(
                name: "Findings");

            migrationBuilder.DropTable(
                name: "Resolutions");

            migrationBuilder.DropTable(
                name: "EvaluationRuns");

            migrationBuilder.DropTable(
                name: "Areas");

            migrationBuilder.DropTable(
                name: "Periods");
        }
    }
}
