import { join } from 'node:path';
import { CfnOutput, Duration, RemovalPolicy, Size, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AttributeType, BillingMode, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { ApplicationLogLevel, Architecture, LoggingFormat, Runtime, SystemLogLevel } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnSchedule, CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { TABLES, tableNameVariable, type TableLogicalName } from '../shared/store/tables.js';
import { MonitorApi } from './api.js';
import { BrowserLayer, BROWSER_PACKAGES } from './browser-layer.js';
import { enabledChecks, environmentSize, LAMBDA_ENV_LIMIT_BYTES, type DeployConfig, type PlannedAlert } from './config.js';
import { functionSpecs, grantedTables, shortestInterval, sizing, TABLE_ACTIONS, type FunctionSpec } from './functions.js';
import { builtinAliases, leanZodEntry } from './bundling.js';
import { SCRAPE_FOLLOWER_OFFSET_MINUTES, scheduleExpression, scheduleGroupName, scheduleName } from './deploy-settings.js';
import { acknowledgeFindings } from './nag.js';

export interface MonitorStackProps extends StackProps {
  config: DeployConfig;
  /** Repository root: entries, the lock file and node_modules are found from here. */
  projectRoot: string;
}

/** Scheduler accepts a maximum event age from 60 s to 24 h; Lambda's async retries from 60 s to 6 h. */
const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/** Scheduler retries a delivery that failed (throttling, service errors) this many times. */
export const SCHEDULE_RETRY_ATTEMPTS = 3;
/** Lambda retries a failed asynchronous invocation (an alert run that threw) this many times. */
export const ASYNC_RETRY_ATTEMPTS = 2;

/** CommonJS dependencies inside an ES module bundle still call require() for Node built-ins. */
export const ESBUILD_BANNER = "import { createRequire as __crm_cr } from 'node:module'; const require = __crm_cr(import.meta.url);";

export class MonitorStack extends Stack {
  readonly specs: FunctionSpec[];
  readonly functions = new Map<string, NodejsFunction>();
  readonly tables = new Map<TableLogicalName, Table>();

  constructor(scope: Construct, id: string, props: MonitorStackProps) {
    super(scope, id, props);
    const { config, projectRoot } = props;
    Tags.of(this).add('app', 'canton-rewards-monitor');

    for (const def of TABLES) {
      const table = new Table(this, `Table-${def.logical}`, {
        partitionKey: { name: def.partitionKey, type: AttributeType.STRING },
        ...(def.sortKey ? { sortKey: { name: def.sortKey, type: AttributeType.STRING } } : {}),
        billingMode: BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        ...(def.ttlAttribute ? { timeToLiveAttribute: def.ttlAttribute } : {}),
        // History and keys outlive the stack: deleting the stack leaves the tables in place.
        removalPolicy: RemovalPolicy.RETAIN,
      });
      this.tables.set(def.logical, table);
    }

    // Values are stored by `npm run deploy` (PutSecretValue); the template only ever holds `{}`.
    const secret = new Secret(this, 'Secrets', {
      description: 'Pushover, Slack and FAAMView credentials, a JSON object keyed by variable name.',
      secretObjectValue: {},
    });

    const deadLetters = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    const browser = new BrowserLayer(this, 'Browser', { projectRoot });

    this.specs = functionSpecs(config);
    const zod = leanZodEntry(projectRoot);
    const aliases = [...(zod ? [`zod=${zod}`] : []), ...builtinAliases(projectRoot)];
    for (const spec of this.specs) {
      this.functions.set(spec.id, this.monitorFunction(spec, config, projectRoot, { secret, deadLetters, browser, aliases }));
    }

    // Schedules: one per enabled check, in one group, each with its own invoke-only role.
    const group = new CfnScheduleGroup(this, 'Schedules', { name: scheduleGroupName(config.stackName) });
    const scrapeLeader = this.specs.flatMap((s) => (s.alert?.def.scrapes ? enabledChecks(s.alert) : []))[0]?.key;
    for (const spec of this.specs) {
      if (spec.alert) this.schedules(spec, spec.alert, group, deadLetters, scrapeLeader);
    }

    const api = new MonitorApi(this, 'Api', {
      config,
      specs: this.specs,
      functions: this.functions,
    });

    this.alarms(config, deadLetters, api);

    new CfnOutput(this, 'ApiUrl', { value: api.api.url, description: 'Base URL of the REST API (append health, api/status, …).' });
    new CfnOutput(this, 'SecretArn', { value: secret.secretArn, description: 'The secret npm run deploy fills from .env.' });
    new CfnOutput(this, 'ScheduleGroupName', { value: group.ref, description: 'EventBridge Scheduler group of the alert schedules.' });
    for (const [logical, table] of this.tables) {
      new CfnOutput(this, tableNameVariable(logical).replace(/_/g, ''), { value: table.tableName, description: `Set ${tableNameVariable(logical)} to this to use the table from your machine.` });
    }

    acknowledgeFindings({ api, secret });
  }

  private monitorFunction(
    spec: FunctionSpec,
    config: DeployConfig,
    projectRoot: string,
    shared: { secret: Secret; deadLetters: Queue; browser: BrowserLayer; aliases: string[] },
  ): NodejsFunction {
    const { memoryMb, ephemeralMb, timeoutSeconds } = sizing(spec, config);
    const logGroup = new LogGroup(this, `Logs-${spec.id}`, {
      retention: config.logRetentionDays as RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Each function has its own role with inline statements naming only its own resources.
    const role = new Role(this, `Role-${spec.id}`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${config.stackName}-${spec.id}`,
    });
    role.addToPolicy(
      new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
    );

    const environment: Record<string, string> = { ...(spec.settings as Record<string, string>) };
    for (const [logical, access] of grantedTables(spec)) {
      const table = this.tables.get(logical);
      if (!table) throw new Error(`${spec.id} asks for unknown table ${logical}`);
      environment[tableNameVariable(logical)] = table.tableName;
      role.addToPolicy(new PolicyStatement({ actions: [...TABLE_ACTIONS[access]], resources: [table.tableArn] }));
    }
    if (spec.secrets) {
      environment.SECRETS_ARN = shared.secret.secretArn;
      role.addToPolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [shared.secret.secretArn] }));
    }
    // Tokens (table names, the secret ARN) render longer than they look; leave room for them.
    const size = environmentSize(spec.settings as Record<string, string>) + 200 * (grantedTables(spec).length + (spec.secrets ? 1 : 0));
    if (size > LAMBDA_ENV_LIMIT_BYTES) {
      throw new Error(`${spec.id}: its settings take about ${size} bytes; Lambda allows ${LAMBDA_ENV_LIMIT_BYTES} in total`);
    }

    const asyncRetry = spec.alert ? alertRetryWindow(spec.alert) : undefined;
    const fn = new NodejsFunction(this, `Fn-${spec.id}`, {
      functionName: `${config.stackName}-${spec.id}`,
      description: spec.description.slice(0, 256),
      entry: join(projectRoot, spec.entry),
      handler: 'handler',
      projectRoot,
      depsLockFilePath: join(projectRoot, 'package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      // The Chromium binary that @sparticuz/chromium ships on npm is x86_64 only; one architecture
      // for every function keeps the bundles identical to what the tests run here.
      architecture: Architecture.X86_64,
      memorySize: memoryMb,
      ephemeralStorageSize: Size.mebibytes(ephemeralMb),
      timeout: Duration.seconds(timeoutSeconds),
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: applicationLogLevel(spec.settings.LOG_LEVEL),
      systemLogLevelV2: SystemLogLevel.INFO,
      environment,
      layers: spec.scrapes ? [shared.browser.layer] : [],
      ...(spec.alert
        ? { deadLetterQueue: shared.deadLetters, retryAttempts: ASYNC_RETRY_ATTEMPTS, maxEventAge: asyncRetry }
        : {}),
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        minify: true,
        sourceMap: false,
        mainFields: ['module', 'main'],
        banner: ESBUILD_BANNER,
        // Everything is bundled (the AWS SDK included, so the bundle does not depend on the
        // runtime's copy). Scrapers import the browser from the layer; other functions never load
        // the scraper at all, so it is left out of their bundles.
        externalModules: spec.scrapes ? [...BROWSER_PACKAGES] : ['playwright-core', '@sparticuz/chromium', '*/sources/canton/scrape.js'],
        esbuildArgs: { '--alias': shared.aliases },
      },
    });
    return fn;
  }

  private schedules(spec: FunctionSpec, alert: PlannedAlert, group: CfnScheduleGroup, deadLetters: Queue, scrapeLeader?: string): void {
    const checks = enabledChecks(alert);
    if (checks.length === 0) return;
    const fn = this.functions.get(spec.id)!;
    const role = new Role(this, `ScheduleRole-${spec.id}`, {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': this.account },
          ArnEquals: { 'aws:SourceArn': group.attrArn },
        },
      }),
      description: `Lets the alert schedules invoke ${spec.id}`,
    });
    role.addToPolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] }));
    role.addToPolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['sqs:SendMessage'], resources: [deadLetters.queueArn] }));

    for (const check of checks) {
      const input = {
        ...(check.instance !== undefined ? { instance: check.instance } : {}),
        scheduledTime: '<aws.scheduler.scheduled-time>',
      };
      const schedule = new CfnSchedule(this, `Schedule-${scheduleName(check.key)}`, {
        name: scheduleName(check.key),
        groupName: group.ref,
        description: `${check.name}, every ${check.intervalMinutes} min`,
        scheduleExpression: scheduleExpression(
          check.intervalMinutes,
          alert.def.scrapes && check.key !== scrapeLeader ? SCRAPE_FOLLOWER_OFFSET_MINUTES : 0,
        ),
        flexibleTimeWindow: { mode: 'OFF' },
        state: 'ENABLED',
        target: {
          arn: fn.functionArn,
          roleArn: role.roleArn,
          input: JSON.stringify(input),
          retryPolicy: {
            maximumRetryAttempts: SCHEDULE_RETRY_ATTEMPTS,
            // A delivery later than the next tick is pointless: the next tick checks again.
            maximumEventAgeInSeconds: clamp(check.intervalMinutes * 60, 60, 86400),
          },
          deadLetterConfig: { arn: deadLetters.queueArn },
        },
      });
      // The role's policy must exist before Scheduler validates the target.
      schedule.node.addDependency(role);
    }
  }

  private alarms(config: DeployConfig, deadLetters: Queue, api: MonitorApi): void {
    const topic = config.alarmEmail ? new Topic(this, 'AlarmTopic', { displayName: `${config.stackName} alarms`, enforceSSL: true }) : undefined;
    if (topic && config.alarmEmail) topic.addSubscription(new EmailSubscription(config.alarmEmail));
    const notify = (alarm: Alarm) => {
      if (topic) alarm.addAlarmAction(new SnsAction(topic));
    };

    // Function errors, without paying for one alarm per function: an alert function that throws is
    // retried by Lambda and then lands in the dead-letter queue (as does a run the scheduler could
    // not deliver); API functions answer their failures as 5XX, which Lambda's own error count
    // would not even see.
    notify(
      new Alarm(this, 'DeadLetterAlarm', {
        alarmDescription:
          'A scheduled alert run failed after Lambda retried it (the function threw or timed out), or could not be delivered. The dead-letter message names the function or schedule and the event; the function\'s log group has the error.',
        metric: deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );

    // Handlers turn their own failures into JSON 500s, which Lambda does not count as errors; the
    // API's 5XX count sees those, the authorizer's failures and the gateway's own.
    notify(
      new Alarm(this, 'ApiServerErrorsAlarm', {
        alarmDescription: 'The API answered 5XX: an API function or the authorizer failed.',
        metric: api.api.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
    if (topic) new CfnOutput(this, 'AlarmTopicArn', { value: topic.topicArn, description: 'Alarm notifications (confirm the email subscription).' });
  }
}

/** Lambda's own retries of a failed run stop once the next tick is due. */
function alertRetryWindow(alert: PlannedAlert): Duration {
  const minutes = shortestInterval(alert) ?? 60;
  return Duration.seconds(clamp(minutes * 60, 60, 6 * 3600));
}

function applicationLogLevel(level: string | undefined): ApplicationLogLevel {
  switch ((level ?? 'INFO').toUpperCase()) {
    case 'TRACE':
      return ApplicationLogLevel.TRACE;
    case 'DEBUG':
      return ApplicationLogLevel.DEBUG;
    case 'WARN':
      return ApplicationLogLevel.WARN;
    case 'ERROR':
      return ApplicationLogLevel.ERROR;
    case 'FATAL':
      return ApplicationLogLevel.FATAL;
    default:
      return ApplicationLogLevel.INFO;
  }
}
