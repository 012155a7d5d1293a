# Container definitions in the shapes ECS estates write them: jsonencode of a list, a heredoc of
# JSON, a string that is not JSON, file() of a JSON file, and a task definition no service runs.
resource "aws_ecs_cluster" "ops" {
  name = "ops"
}

resource "aws_secretsmanager_secret" "api_token" {
  name = "ops/api-token"
}

resource "aws_iam_role" "agent" {
  name               = "ops-agent-task"
  assume_role_policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ecs-tasks.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"
}

resource "aws_ecs_task_definition" "agent" {
  family        = "agent"
  network_mode  = "host"
  task_role_arn = aws_iam_role.agent.arn
  volume {
    name      = "docker"
    host_path = "/var/run/docker.sock"
  }
  container_definitions = jsonencode([
    {
      name       = "agent"
      image      = "datadog/agent:7"
      privileged = true
      user       = "0"
      mountPoints = [{ sourceVolume = "docker", containerPath = "/var/run/docker.sock" }]
      environment = [
        { name = "DD_API_KEY", value = "3f9c2b7e8a1d4c6f9e0b2a7c5d8e1f4a" },
        { name = "DD_SITE", value = "datadoghq.eu" },
      ]
      secrets = [
        { name = "OPS_TOKEN", valueFrom = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:ops/api-token-Ab12Cd" },
        { name = "SLACK_HOOK", valueFrom = "arn:aws:ssm:eu-west-1:111122223333:parameter/ops/slack-hook" },
      ]
      linuxParameters = { capabilities = { add = ["NET_ADMIN"] } }
    }
  ])
}

resource "aws_ecs_service" "agent" {
  name            = "agent"
  cluster         = aws_ecs_cluster.ops.name
  task_definition = aws_ecs_task_definition.agent.arn
  launch_type     = "EC2"
}

resource "aws_ecs_task_definition" "cron" {
  family                   = "nightly-export"
  requires_compatibilities = ["FARGATE"]
  container_definitions    = <<JSON
[
  {
    "name": "export",
    "image": "public.ecr.aws/acme/export@sha256:9b3f1c1d2e4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c",
    "readonlyRootFilesystem": true,
    "user": "10001",
    "environment": [
      {"name": "EXPORT_BUCKET", "value": "acme-exports"},
      {"name": "SMTP_PASSWORD", "value": "Winter2024!mail"}
    ]
  }
]
JSON
}

resource "aws_ecs_task_definition" "broken" {
  family                = "broken"
  container_definitions = "[{\"name\": \"web\", \"image\": "
}

resource "aws_ecs_task_definition" "from_file" {
  family                = "from-file"
  container_definitions = file("${path.module}/containers.json")
}

resource "aws_ecs_service" "broken" {
  name            = "broken"
  cluster         = aws_ecs_cluster.ops.id
  task_definition = aws_ecs_task_definition.broken.arn
}

resource "aws_ecs_service" "from_file" {
  name            = "from-file"
  cluster         = aws_ecs_cluster.ops.id
  task_definition = aws_ecs_task_definition.from_file.arn
}

resource "aws_ecs_service" "elsewhere" {
  name            = "elsewhere"
  cluster         = aws_ecs_cluster.ops.id
  task_definition = var.task_definition_arn
}
