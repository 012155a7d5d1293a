# An ECS estate: an internet-facing ALB (HTTP redirects, HTTPS forwards; /admin asks for a Cognito
# login), two Fargate services that call each other through Service Connect, one with a public IP
# and a world-open group, and credentials written in a container's environment.
resource "aws_ecs_cluster" "main" {
  name = "store"
}

resource "aws_iam_role" "api" {
  name               = "store-api"
  assume_role_policy = "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ecs-tasks.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"
}

resource "aws_security_group" "metrics" {
  name = "store-metrics"
  ingress {
    from_port   = 9100
    to_port     = 9100
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_ecs_task_definition" "api" {
  family        = "api"
  task_role_arn = aws_iam_role.api.arn
  container_definitions = jsonencode([{
    name                   = "api"
    image                  = "acme/store-api:5.2.1"
    readonlyRootFilesystem = true
    user                   = "app"
    portMappings           = [{ containerPort = 8080, name = "http" }]
    environment = [
      { name = "METRICS_URL", value = "http://metrics:9100" },
      { name = "JWT_SECRET", value = "b1946ac92492d2347c6235b4d2611184" },
    ]
  }])
}

resource "aws_ecs_task_definition" "metrics" {
  family = "metrics"
  container_definitions = jsonencode([{
    name         = "metrics"
    image        = "prom/node-exporter:latest"
    portMappings = [{ containerPort = 9100, name = "metrics" }]
  }])
}

resource "aws_ecs_service" "api" {
  name            = "api"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.api.arn
  launch_type     = "FARGATE"
  load_balancer {
    target_group_arn = aws_lb_target_group.api.arn
    container_name   = "api"
    container_port   = 8080
  }
  service_connect_configuration {
    enabled = true
    service {
      port_name      = "http"
      discovery_name = "api"
    }
  }
}

resource "aws_ecs_service" "metrics" {
  name            = "metrics"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.metrics.arn
  launch_type     = "FARGATE"
  network_configuration {
    subnets          = ["subnet-1"]
    security_groups  = [aws_security_group.metrics.id]
    assign_public_ip = true
  }
  service_connect_configuration {
    enabled = true
    service {
      port_name = "metrics"
    }
  }
}

resource "aws_lb" "web" {
  name = "store-web"
}

resource "aws_lb_target_group" "api" {
  name        = "store-api"
  port        = 8080
  protocol    = "HTTP"
  target_type = "ip"
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.web.arn
  port              = 80
  protocol          = "HTTP"
  default_action {
    type = "redirect"
    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.web.arn
  port              = 443
  protocol          = "HTTPS"
  certificate_arn   = "arn:aws:acm:us-east-1:111122223333:certificate/2222"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.api.arn
  }
}

resource "aws_lb_listener_rule" "admin" {
  listener_arn = aws_lb_listener.https.arn
  priority     = 1
  action {
    type = "authenticate-cognito"
    authenticate_cognito {
      user_pool_arn       = "arn:aws:cognito-idp:us-east-1:111122223333:userpool/us-east-1_abc"
      user_pool_client_id = "client"
      user_pool_domain    = "store-auth"
    }
  }
  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.api.arn
  }
  condition {
    path_pattern {
      values = ["/admin/*"]
    }
  }
  condition {
    host_header {
      values = ["store.example.com"]
    }
  }
}
