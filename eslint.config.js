import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.venv-moto/', 'coverage/', 'dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Only code that ends up in the Lambda bundles.
    files: ['src/**/*.ts', 'policies/**/*.ts', 'remediators/**/*.ts'],
    rules: {
      // `import { z }` keeps every zod locale in the Lambda bundle (~360 KB); the namespace
      // import lets esbuild drop what is unused.
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "ImportDeclaration[source.value='zod'][importKind='value'] > ImportSpecifier[imported.name='z']",
          message: "Use `import * as z from 'zod'`.",
        },
      ],
    },
  },
);
