// The page is outside the signed-in shell (./styles-shell.ts): the radios' styles come with it.
import '@mantine/core/styles/InlineInput.css';
import '@mantine/core/styles/Radio.css';
import '@mantine/core/styles/RadioIndicator.css';
import { Container, Paper } from '@mantine/core';
import { useParams } from 'react-router';
import { PublicSurvey } from '@/features/surveys/components/public-survey';
import { PageHeader } from '../components/page-header';

/** `/survey/:token`: the satisfaction survey a solution's link opens, without login. */
export function SurveyRoute() {
  const token = useParams().token ?? '';
  return (
    <>
      <PageHeader />
      <main>
        <Container size={640} py={{ base: 'md', sm: 48 }} px="sm">
          <Paper withBorder shadow="sm" p={{ base: 'md', sm: 'xl' }} radius="md">
            <PublicSurvey token={token} />
          </Paper>
        </Container>
      </main>
    </>
  );
}
