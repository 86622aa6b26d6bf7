import { App } from 'aws-cdk-lib';
import { defaultCatalog } from '../src/catalog';
import { loadDeploymentInput } from './config';
import { buildRampart } from './rampart-app';

/** `npx cdk synth` / `npx cdk deploy` entry point (see cdk.json and docs/deploy.md). */
const app = new App();
const catalog = defaultCatalog();
const configPath = app.node.tryGetContext('config') as string | undefined;
buildRampart(app, catalog, loadDeploymentInput(catalog, configPath));
app.synth();
