# Container definitions that are no list of containers, in every way a file can get them wrong.
resource "aws_ecs_task_definition" "nested" {
  family                = "nested"
  container_definitions = "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]"
}

resource "aws_ecs_task_definition" "object" {
  family                = "object"
  container_definitions = jsonencode({ name = "web", image = "nginx" })
}

resource "aws_ecs_task_definition" "scalars" {
  family                = "scalars"
  container_definitions = jsonencode(["web", 42, null, [], { environment = "x", secrets = 7, portMappings = { containerPort = "a" }, linuxParameters = [] }])
}

resource "aws_ecs_task_definition" "template" {
  family                = "template"
  container_definitions = <<EOT
[{"name": "w", "image": "${var.image}", "portMappings": [{"containerPort": ${var.port}}], "x": ${unclosed
EOT
}

resource "aws_ecs_service" "loop" {
  name            = "loop"
  cluster         = aws_ecs_service.loop.id
  task_definition = aws_ecs_service.loop.arn
  load_balancer {
    target_group_arn = aws_ecs_service.loop.arn
  }
}

resource "aws_lb_listener_rule" "orphan" {
  listener_arn = "arn:aws:elasticloadbalancing:eu-west-1:1:listener/app/gone/1/2"
  action {
    type = var.action_type
  }
}
