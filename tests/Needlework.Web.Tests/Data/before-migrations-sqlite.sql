-- The schema the web UI made with EnsureCreated before it had migrations (sqlite), as that version's
-- GenerateCreateScript printed it. Frozen: installations of that version have exactly these tables.

CREATE TABLE "api_keys" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_api_keys" PRIMARY KEY AUTOINCREMENT,
    "Key" TEXT NOT NULL,
    "Secret" TEXT NOT NULL,
    "User" TEXT NOT NULL,
    "TExpiration" INTEGER NULL,
    "TCreated" INTEGER NOT NULL
);


CREATE TABLE "jobs" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_jobs" PRIMARY KEY AUTOINCREMENT,
    "state" TEXT NOT NULL,
    "result" TEXT NOT NULL,
    "reason" TEXT NULL,
    "backend" TEXT NULL,
    "priority" INTEGER NOT NULL,
    "clone_id" INTEGER NULL,
    "t_created" INTEGER NOT NULL,
    "t_started" INTEGER NULL,
    "t_finished" INTEGER NULL,
    "assigned_worker_id" INTEGER NULL,
    "last_worker_id" INTEGER NULL,
    "known_failure_id" INTEGER NULL,
    "TEST" TEXT NOT NULL,
    "ARCH" TEXT NULL,
    "MACHINE" TEXT NULL,
    "DISTRI" TEXT NULL,
    "VERSION" TEXT NULL,
    "FLAVOR" TEXT NULL,
    "BUILD" TEXT NULL,
    "settings" TEXT NOT NULL,
    "assigned_setting_keys" TEXT NULL,
    CONSTRAINT "FK_jobs_jobs_clone_id" FOREIGN KEY ("clone_id") REFERENCES "jobs" ("id") ON DELETE SET NULL
);


CREATE TABLE "known_failures" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_known_failures" PRIMARY KEY AUTOINCREMENT,
    "Name" TEXT NOT NULL,
    "ReasonPattern" TEXT NULL,
    "CategoryPattern" TEXT NULL,
    "Retrigger" INTEGER NOT NULL
);


CREATE TABLE "threshold_settings" (
    "WorkerClass" TEXT NOT NULL CONSTRAINT "PK_threshold_settings" PRIMARY KEY,
    "Automatic" INTEGER NOT NULL,
    "MaxStallSeconds" REAL NULL,
    "MaxStalledPercent" REAL NULL,
    "WindowSeconds" REAL NULL,
    "BaselineFactor" REAL NULL
);


CREATE TABLE "workers" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_workers" PRIMARY KEY AUTOINCREMENT,
    "Host" TEXT NOT NULL,
    "Instance" INTEGER NOT NULL,
    "WorkerClass" TEXT NOT NULL,
    "Properties" TEXT NOT NULL,
    "TCreated" INTEGER NOT NULL,
    "TSeen" INTEGER NULL,
    "Error" TEXT NULL,
    "JobId" INTEGER NULL,
    "Online" INTEGER NOT NULL
);


CREATE TABLE "job_modules" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_job_modules" PRIMARY KEY AUTOINCREMENT,
    "JobId" INTEGER NOT NULL,
    "Ordinal" INTEGER NOT NULL,
    "Name" TEXT NOT NULL,
    "Category" TEXT NULL,
    "Script" TEXT NULL,
    "Result" TEXT NOT NULL,
    "Details" TEXT NULL,
    CONSTRAINT "FK_job_modules_jobs_JobId" FOREIGN KEY ("JobId") REFERENCES "jobs" ("id") ON DELETE CASCADE
);


CREATE TABLE "job_screenshots" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_job_screenshots" PRIMARY KEY AUTOINCREMENT,
    "JobId" INTEGER NOT NULL,
    "Name" TEXT NOT NULL,
    "Checksum" TEXT NOT NULL,
    CONSTRAINT "FK_job_screenshots_jobs_JobId" FOREIGN KEY ("JobId") REFERENCES "jobs" ("id") ON DELETE CASCADE
);


CREATE TABLE "job_statistics" (
    "JobId" INTEGER NOT NULL CONSTRAINT "PK_job_statistics" PRIMARY KEY,
    "WorkerClass" TEXT NULL,
    "Machine" TEXT NULL,
    "Test" TEXT NOT NULL,
    "WorkerId" INTEGER NULL,
    "MaxStallSeconds" REAL NULL,
    "StalledPercent" REAL NULL,
    "CaptureIntervalP95Ms" REAL NULL,
    "HostLoad" REAL NULL,
    "StoppedForSlowness" INTEGER NOT NULL,
    "SlownessCategory" TEXT NULL,
    "Summary" TEXT NULL,
    CONSTRAINT "FK_job_statistics_jobs_JobId" FOREIGN KEY ("JobId") REFERENCES "jobs" ("id") ON DELETE CASCADE
);


CREATE UNIQUE INDEX "IX_api_keys_Key" ON "api_keys" ("Key");


CREATE UNIQUE INDEX "IX_job_modules_JobId_Name" ON "job_modules" ("JobId", "Name");


CREATE INDEX "IX_job_screenshots_Checksum" ON "job_screenshots" ("Checksum");


CREATE UNIQUE INDEX "IX_job_screenshots_JobId_Name" ON "job_screenshots" ("JobId", "Name");


CREATE INDEX "IX_job_statistics_WorkerClass" ON "job_statistics" ("WorkerClass");


CREATE UNIQUE INDEX "IX_jobs_clone_id" ON "jobs" ("clone_id");


CREATE INDEX "IX_jobs_result" ON "jobs" ("result");


CREATE INDEX "IX_jobs_state_priority_id" ON "jobs" ("state", "priority", "id");


CREATE UNIQUE INDEX "IX_workers_Host_Instance" ON "workers" ("Host", "Instance");
