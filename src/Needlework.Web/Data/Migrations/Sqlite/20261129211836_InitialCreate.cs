using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Needlework.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "api_keys",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Key = table.Column<string>(type: "TEXT", nullable: false),
                    Secret = table.Column<string>(type: "TEXT", nullable: false),
                    User = table.Column<string>(type: "TEXT", nullable: false),
                    TExpiration = table.Column<long>(type: "INTEGER", nullable: true),
                    TCreated = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_api_keys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "jobs",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    state = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    result = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    backend = table.Column<string>(type: "TEXT", nullable: true),
                    priority = table.Column<int>(type: "INTEGER", nullable: false),
                    clone_id = table.Column<long>(type: "INTEGER", nullable: true),
                    t_created = table.Column<long>(type: "INTEGER", nullable: false),
                    t_started = table.Column<long>(type: "INTEGER", nullable: true),
                    t_finished = table.Column<long>(type: "INTEGER", nullable: true),
                    assigned_worker_id = table.Column<long>(type: "INTEGER", nullable: true),
                    last_worker_id = table.Column<long>(type: "INTEGER", nullable: true),
                    known_failure_id = table.Column<long>(type: "INTEGER", nullable: true),
                    TEST = table.Column<string>(type: "TEXT", nullable: false),
                    ARCH = table.Column<string>(type: "TEXT", nullable: true),
                    MACHINE = table.Column<string>(type: "TEXT", nullable: true),
                    DISTRI = table.Column<string>(type: "TEXT", nullable: true),
                    VERSION = table.Column<string>(type: "TEXT", nullable: true),
                    FLAVOR = table.Column<string>(type: "TEXT", nullable: true),
                    BUILD = table.Column<string>(type: "TEXT", nullable: true),
                    settings = table.Column<string>(type: "TEXT", nullable: false),
                    assigned_setting_keys = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_jobs", x => x.id);
                    table.ForeignKey(
                        name: "FK_jobs_jobs_clone_id",
                        column: x => x.clone_id,
                        principalTable: "jobs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "known_failures",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    ReasonPattern = table.Column<string>(type: "TEXT", nullable: true),
                    CategoryPattern = table.Column<string>(type: "TEXT", nullable: true),
                    Retrigger = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_known_failures", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "threshold_settings",
                columns: table => new
                {
                    WorkerClass = table.Column<string>(type: "TEXT", nullable: false),
                    Automatic = table.Column<bool>(type: "INTEGER", nullable: false),
                    MaxStallSeconds = table.Column<double>(type: "REAL", nullable: true),
                    MaxStalledPercent = table.Column<double>(type: "REAL", nullable: true),
                    WindowSeconds = table.Column<double>(type: "REAL", nullable: true),
                    BaselineFactor = table.Column<double>(type: "REAL", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_threshold_settings", x => x.WorkerClass);
                });

            migrationBuilder.CreateTable(
                name: "workers",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Host = table.Column<string>(type: "TEXT", nullable: false),
                    Instance = table.Column<int>(type: "INTEGER", nullable: false),
                    WorkerClass = table.Column<string>(type: "TEXT", nullable: false),
                    Properties = table.Column<string>(type: "TEXT", nullable: false),
                    TCreated = table.Column<long>(type: "INTEGER", nullable: false),
                    TSeen = table.Column<long>(type: "INTEGER", nullable: true),
                    Error = table.Column<string>(type: "TEXT", nullable: true),
                    JobId = table.Column<long>(type: "INTEGER", nullable: true),
                    Online = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_workers", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "job_modules",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    JobId = table.Column<long>(type: "INTEGER", nullable: false),
                    Ordinal = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    Category = table.Column<string>(type: "TEXT", nullable: true),
                    Script = table.Column<string>(type: "TEXT", nullable: true),
                    Result = table.Column<string>(type: "TEXT", nullable: false),
                    Details = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_job_modules", x => x.Id);
                    table.ForeignKey(
                        name: "FK_job_modules_jobs_JobId",
                        column: x => x.JobId,
                        principalTable: "jobs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "job_screenshots",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    JobId = table.Column<long>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    Checksum = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_job_screenshots", x => x.Id);
                    table.ForeignKey(
                        name: "FK_job_screenshots_jobs_JobId",
                        column: x => x.JobId,
                        principalTable: "jobs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "job_statistics",
                columns: table => new
                {
                    JobId = table.Column<long>(type: "INTEGER", nullable: false),
                    WorkerClass = table.Column<string>(type: "TEXT", nullable: true),
                    Machine = table.Column<string>(type: "TEXT", nullable: true),
                    Test = table.Column<string>(type: "TEXT", nullable: false),
                    WorkerId = table.Column<long>(type: "INTEGER", nullable: true),
                    MaxStallSeconds = table.Column<double>(type: "REAL", nullable: true),
                    StalledPercent = table.Column<double>(type: "REAL", nullable: true),
                    CaptureIntervalP95Ms = table.Column<double>(type: "REAL", nullable: true),
                    HostLoad = table.Column<double>(type: "REAL", nullable: true),
                    StoppedForSlowness = table.Column<bool>(type: "INTEGER", nullable: false),
                    SlownessCategory = table.Column<string>(type: "TEXT", nullable: true),
                    Summary = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_job_statistics", x => x.JobId);
                    table.ForeignKey(
                        name: "FK_job_statistics_jobs_JobId",
                        column: x => x.JobId,
                        principalTable: "jobs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_api_keys_Key",
                table: "api_keys",
                column: "Key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_job_modules_JobId_Name",
                table: "job_modules",
                columns: new[] { "JobId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_job_screenshots_Checksum",
                table: "job_screenshots",
                column: "Checksum");

            migrationBuilder.CreateIndex(
                name: "IX_job_screenshots_JobId_Name",
                table: "job_screenshots",
                columns: new[] { "JobId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_job_statistics_WorkerClass",
                table: "job_statistics",
                column: "WorkerClass");

            migrationBuilder.CreateIndex(
                name: "IX_jobs_clone_id",
                table: "jobs",
                column: "clone_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_jobs_result",
                table: "jobs",
                column: "result");

            migrationBuilder.CreateIndex(
                name: "IX_jobs_state_priority_id",
                table: "jobs",
                columns: new[] { "state", "priority", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_workers_Host_Instance",
                table: "workers",
                columns: new[] { "Host", "Instance" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "api_keys");

            migrationBuilder.DropTable(
                name: "job_modules");

            migrationBuilder.DropTable(
                name: "job_screenshots");

            migrationBuilder.DropTable(
                name: "job_statistics");

            migrationBuilder.DropTable(
                name: "known_failures");

            migrationBuilder.DropTable(
                name: "threshold_settings");

            migrationBuilder.DropTable(
                name: "workers");

            migrationBuilder.DropTable(
                name: "jobs");
        }
    }
}
