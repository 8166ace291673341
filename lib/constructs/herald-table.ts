/**
 * Herald's single DynamoDB table, built from functions/store/table-definition.ts, the one
 * source of truth the embedded store and the tests also use — so keys, indexes and the TTL
 * attribute cannot drift between AWS and `npm start`.
 */
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { type IndexDefinition, TABLE, type TableDefinition } from '../../functions/store/table-definition';
import type { StageConfig } from '../stage-config';

export interface HeraldTableProps {
  readonly stage: StageConfig;
  /** Defaults to {@link TABLE}; injectable so tests can check the mapping itself. */
  readonly definition?: TableDefinition;
}

function projectionOf(index: IndexDefinition): {
  projectionType: ProjectionType;
  nonKeyAttributes?: string[];
} {
  switch (index.projection.type) {
    case 'ALL':
      return { projectionType: ProjectionType.ALL };
    case 'KEYS_ONLY':
      return { projectionType: ProjectionType.KEYS_ONLY };
    case 'INCLUDE':
      return {
        projectionType: ProjectionType.INCLUDE,
        nonKeyAttributes: [...index.projection.nonKeyAttributes],
      };
  }
}

/** The table: on-demand, PITR, TTL, a NEW_AND_OLD_IMAGES stream for the alert fan-out. */
export class HeraldTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: HeraldTableProps) {
    super(scope, id);
    const def = props.definition ?? TABLE;
    this.table = new Table(this, 'Table', {
      partitionKey: { name: def.partitionKey, type: AttributeType.STRING },
      sortKey: { name: def.sortKey, type: AttributeType.STRING },
      // Traffic is spiky (a publish triggers thousands of alert writes, then quiet):
      // on-demand costs nothing when idle and needs no capacity planning.
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: def.ttlAttribute,
      // Old and new images: the fan-out filter matches INSERTs on NewImage, and updates to a
      // published article can be told apart from first publication.
      stream: StreamViewType[def.streamViewType],
      deletionProtection: props.stage.deletionProtection,
      removalPolicy: props.stage.removalPolicy,
    });
    for (const index of def.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        ...projectionOf(index),
      });
    }
  }
}
